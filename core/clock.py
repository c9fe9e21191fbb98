"""Clocks: every rule asks one for the time so that tests and demos can move it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Protocol, runtime_checkable
from zoneinfo import available_timezones

# Names the zone database also ships that are not places: the machine's own zone, the
# "no zone" placeholder and the alternative trees (docs/rules.md#time-zones).
_NOT_PLACES = {"localtime", "Factory", "posixrules"}
_NOT_PLACE_PREFIXES = ("posix/", "right/", "SystemV/")
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$", re.ASCII)


@cache
def _place_zones() -> frozenset[str]:
    return frozenset(
        name
        for name in available_timezones()
        if name not in _NOT_PLACES
        and not name.startswith(_NOT_PLACE_PREFIXES)
        and _ZONE_NAME.match(name)
    )


def is_place_timezone(name: str) -> bool:
    """True for an IANA zone naming a place (or UTC); false for `localtime`, `Factory` and such."""
    return name in _place_zones()


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
