"""Writing to and reading the interaction timeline."""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from core.paging import keyset_page
from social.timeline.models import TimelineEntry


async def note_on_timeline(
    conn: BaseDBAsyncClient,
    *,
    owner_id: int,
    actor_id: int,
    kind: str,
    grams: int,
    bubble_id: int | None,
    at: datetime,
) -> None:
    """Record, in the caller's transaction, what a friend did to the owner's forest."""
    await TimelineEntry.create(
        using_db=conn, owner_id=owner_id, actor_id=actor_id, kind=kind, grams=grams,
        bubble_id=bubble_id, created_at=at,
    )  # fmt: skip


async def timeline_page(
    owner_id: int, before_id: int | None, limit: int
) -> tuple[list[TimelineEntry], int | None]:
    """A page of the owner's timeline, newest first, and the cursor of the next page."""
    query = TimelineEntry.filter(owner_id=owner_id)
    return await keyset_page(query, before_id, limit, newest_first=True, related=["actor"])
