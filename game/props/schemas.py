"""Response shapes of the props endpoints."""

from __future__ import annotations

from datetime import datetime

import msgspec


class PropsOut(msgspec.Struct):
    """How many of each prop I hold, and until when each is in effect."""

    stock: dict[str, int]
    active_until: dict[str, datetime]


class PropUsedOut(msgspec.Struct):
    """A prop put to use."""

    kind: str
    starts_at: datetime
    ends_at: datetime
    left: int
