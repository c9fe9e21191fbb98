"""Clocks: every rule asks one for the time so that tests and demos can move it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; used by tests and the demo seeder."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime.now(UTC)).astimezone(UTC)

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, **delta: float) -> datetime:
        """Move forward by a timedelta given as keyword arguments (hours=1, seconds=30)."""
        self._now += timedelta(**delta)
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to a given aware moment."""
        if moment.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = moment.astimezone(UTC)
