"""The timeline in a player's export. On erasure the player's own timeline goes; entries in
other players' timelines stay (they are theirs) and name the pseudonymised account."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest
from social.timeline.models import TimelineEntry


async def export_timeline(request: ExportRequest) -> ExportPart:
    """Who stole from or watered my forest, and what I did in others' forests."""
    me = request.user_id
    fields = ("owner_id", "actor_id", "kind", "grams", "bubble_id", "created_at")
    data = {
        "mine": await TimelineEntry.filter(owner_id=me).order_by("id").values(*fields),
        "by_me": await TimelineEntry.filter(actor_id=me).order_by("id").values(*fields),
    }
    return ExportPart("timeline", data)


async def erase_timeline(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Delete the erased player's own timeline."""
    await TimelineEntry.filter(owner_id=erasure.user_id).using_db(conn).delete()
