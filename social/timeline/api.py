"""HTTP endpoint of the interaction timeline."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit
from core.users import User
from social.timeline.notes import timeline_page
from social.timeline.schemas import TimelineEntryOut, TimelinePageOut


class TimelineController(Controller):
    """Who stole from or watered my forest."""

    tags = ["forest"]

    @get("/api/v1/me/timeline", summary="My timeline")
    async def my_timeline(
        self, request: Request[User, Any, Any], cursor: Cursor = None, limit: Limit = 20
    ) -> TimelinePageOut:
        """Steals and waterings by friends, newest first, with cursor pagination."""
        rows, next_id = await timeline_page(request.user.id, decode_cursor(cursor), limit)
        items = [
            TimelineEntryOut(
                id=r.id,
                kind=r.kind,
                actor_id=r.actor_id,
                actor_username=r.actor.username,
                grams=r.grams,
                bubble_id=r.bubble_id,
                at=r.created_at,
            )
            for r in rows
        ]
        return TimelinePageOut(items=items, next_cursor=encode_cursor(next_id))
