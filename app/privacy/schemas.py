"""Shapes of the privacy endpoints."""

from __future__ import annotations

from datetime import datetime

import msgspec


class DeletionOut(msgspec.Struct):
    """A scheduled deletion: log in before `erase_after` to keep the account."""

    status: str
    requested_at: datetime
    erase_after: datetime
