"""How the app serves the screens, and the one place their text lives (no browser needed)."""

from __future__ import annotations

import json
import re

import httpx

from app.screens.routes import DIST

WEB = DIST.parent
# t("key") and t(`prefix.${x}`) calls in the sources; dynamic ones are checked by prefix.
CALL = re.compile(r"""\bt\(\s*(["'`])([^"'`]+)\1""")


async def test_the_shells_are_public_strict_and_never_cached(client: httpx.AsyncClient) -> None:
    for path in ("/app", "/app/friends/7", "/console", "/console/queue"):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        assert page.headers["cache-control"] == "no-cache"
        policy = page.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "connect-src 'self';" in policy
        # Nothing is fetched from another origin at run time.
        assert not re.search(r"(src|href)=\"(https?:)?//", page.text)
    home = await client.get("/", follow_redirects=False)
    assert home.status_code in (301, 302, 307) and home.headers["location"] == "/app"


async def test_assets_have_hashed_names_and_are_cached_for_a_year(
    client: httpx.AsyncClient,
) -> None:
    shell = (await client.get("/app")).text
    assets = re.findall(r"/screens/assets/[\w.-]+\.(?:js|css)", shell)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert re.search(r"-[A-Z0-9]{8}\.(js|css)$", asset), asset
        answer = await client.get(asset)
        assert answer.status_code == 200
        assert "max-age=31536000" in answer.headers["cache-control"]
    assert (await client.get("/screens/assets/nothing-here.js")).status_code == 404


async def test_the_api_still_wants_a_token_next_to_the_public_screens(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/api/v1/forest/me")).status_code == 401


def test_every_text_the_screens_show_is_in_the_english_strings() -> None:
    strings = json.loads((WEB / "src" / "strings" / "en.json").read_text())
    sources = [*WEB.joinpath("src").rglob("*.js"), *WEB.joinpath("src").rglob("*.jsx")]
    missing = []
    for source in sources:
        for _, key in CALL.findall(source.read_text()):
            if "${" in key:
                prefix = key.split("${")[0]
                if not any(k.startswith(prefix) for k in strings):
                    missing.append(f"{source.name}: {key}")
            elif key not in strings:
                missing.append(f"{source.name}: {key}")
    assert missing == []
