"""Response shapes of the interaction timeline."""

from __future__ import annotations

from datetime import datetime

import msgspec


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
