"""HTTP endpoint of the interaction timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from litestar import Controller, Request, get

from app.auth.models import User
from app.params import Cursor, Limit
from game.paging import decode_cursor, encode_cursor
from social.timeline.rules import timeline_page


class TimelineEntryOut(msgspec.Struct):
    """Something a friend did to my forest."""

    id: int
    kind: str
    actor_id: int
    actor_username: str
    grams: int
    bubble_id: int | None
    at: datetime


class TimelinePageOut(msgspec.Struct):
    """A page of my timeline, newest first."""

    items: list[TimelineEntryOut]
    next_cursor: str | None


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
