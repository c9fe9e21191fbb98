"""A player's data export: one zip with `export.json` (every domain's section) and the photos.

Each domain that holds something about a player answers `export_requested` with its part
(connected in app/domains.py); this module only puts the parts together.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import orjson

from core.clock import Clock
from core.hooks import Contributions
from core.media import MediaStore
from core.privacy import ExportPart, ExportRequest
from core.users import User

export_requested: Contributions[ExportRequest, ExportPart] = Contributions("account.export")

FORMAT = "greenspark-export/1"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not exportable: {type(value).__name__}")


async def export_account(clock: Clock, media: MediaStore, user: User) -> bytes:
    """The zip archive of everything the service holds about `user`."""
    parts = await export_requested.gather(ExportRequest(user.id, media))
    document = {
        "format": FORMAT,
        "exported_at": clock.now(),
        "profile": {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": str(user.role),
            "timezone": user.timezone,
            "region": user.region,
            "created_at": user.created_at,
            "suspended_until": user.suspended_until,
        },
        "sections": {part.section: part.data for part in parts},
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(
            "export.json",
            orjson.dumps(document, default=_plain, option=orjson.OPT_INDENT_2),
        )
        for part in parts:
            for name, data in part.files.items():
                # Photos are JPEG already: storing them saves compressing them again.
                out.writestr(name, data, compress_type=zipfile.ZIP_STORED)
    return archive.getvalue()
