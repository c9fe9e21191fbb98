"""HTTP endpoint of privacy: download my data."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from app.privacy.export import export_account
from core.clock import Clock
from core.media import MediaStore
from core.users import User


class PrivacyController(Controller):
    """A player's own data, exported (deletion is `DELETE /api/v1/me`, in app/auth/api.py)."""

    path = "/api/v1/me/export"
    tags = ["privacy"]

    @get("", summary="Download everything held about me (zip)", media_type="application/zip")
    async def export(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        media: NamedDependency[MediaStore],
    ) -> Response[bytes]:
        """A zip with export.json (every section) and my photos."""
        archive = await export_account(clock, media, request.user)
        stamp = clock.now().strftime("%Y%m%d")
        return Response(
            archive,
            media_type="application/zip",
            headers={
                "Content-Disposition": f'attachment; filename="greenspark-{stamp}.zip"',
                "Cache-Control": "no-store",
            },
        )
