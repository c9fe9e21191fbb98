"""Serve the built screens: HTML shells with a strict content policy, and hashed assets."""

from __future__ import annotations

from pathlib import Path

from litestar import Response, Router, get
from litestar.datastructures import CacheControlHeader
from litestar.enums import MediaType
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

DIST = Path(__file__).parent / "web" / "dist"

# Everything comes from this origin: no CDN, no remote font, no inline script. Photos of
# check-ins being posted are previewed from blob: URLs.
CONTENT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
NOT_BUILT = (
    b"<!doctype html><html lang='en'><meta charset='utf-8'><title>Green Spark</title>"
    b"<p>The screens are not built yet: run <code>sh scripts/dev.sh sync</code>.</p></html>"
)
PUBLIC = {"exclude_from_auth": True}


class Shells:
    """The built HTML shells, read again when a rebuild replaces them (a running dev server)."""

    def __init__(self) -> None:
        self.cache: dict[str, tuple[float, bytes]] = {}

    def get(self, name: str) -> bytes | None:
        """The shell's bytes, or None before the first build."""
        path = DIST / f"{name}.html"
        try:
            changed = path.stat().st_mtime
        except FileNotFoundError:
            return None
        cached = self.cache.get(name)
        if cached is None or cached[0] != changed:
            cached = self.cache[name] = (changed, path.read_bytes())
        return cached[1]


def screens_router() -> Router:
    """The routes of /app, /console and their assets."""
    shells = Shells()

    def page(name: str) -> Response[bytes]:
        body = shells.get(name)
        if body is None:
            return Response(NOT_BUILT, media_type=MediaType.HTML, status_code=503)
        return Response(body, media_type=MediaType.HTML, headers=PAGE_HEADERS)

    @get(["/app", "/app/{rest:path}"], opt=PUBLIC, include_in_schema=False, sync_to_thread=False)
    def player_client() -> Response[bytes]:
        """The player client; every path under /app is one of its pages."""
        return page("app")

    @get(["/console", "/console/{rest:path}"], opt=PUBLIC, include_in_schema=False,
         sync_to_thread=False)  # fmt: skip
    def staff_console() -> Response[bytes]:
        """The staff console; every path under /console is one of its pages."""
        return page("console")

    @get("/", opt=PUBLIC, include_in_schema=False, sync_to_thread=False)
    def home() -> Redirect:
        """Send a browser at the bare address to the player client."""
        return Redirect("/app")

    # The assets route exists even before the first build, so a later build is served at once.
    handlers: list[object] = [
        player_client,
        staff_console,
        home,
        create_static_files_router(
            path="/screens/assets",
            directories=[DIST / "assets"],
            opt=PUBLIC,
            # File names carry a hash of their content, so they never change in place.
            cache_control=CacheControlHeader(max_age=31_536_000, public=True),
            include_in_schema=False,
            name="screens-assets",
        ),
    ]
    return Router(path="/", route_handlers=handlers)  # type: ignore[arg-type]
