"""A campaign's window: a start and an end in a time zone (docs/rules.md#lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from core.errors import Invalid

# The longest window a campaign may have; boards pack reached-at times for this span.
MAX_SPAN = timedelta(days=366)


class UnknownTimezone(Invalid):
    """Time zones are IANA names such as Asia/Shanghai."""

    code = "unknown-timezone"
    title = "Unknown time zone"


class InvalidWindow(Invalid):
    """The end must come after the start, at most 366 days later."""

    code = "invalid-campaign-window"
    title = "This window cannot be set"


@dataclass(frozen=True)
class Window:
    """A start and an end, both aware UTC, and the time zone the campaign is told in."""

    starts_at: datetime
    ends_at: datetime
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        """The campaign's time zone."""
        return ZoneInfo(self.timezone)


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def window(starts_at: datetime, ends_at: datetime, timezone: str) -> Window:
    """A window from times given in the campaign's time zone (or with their own offset)."""
    if timezone not in _zones():
        raise UnknownTimezone(f"{timezone!r} is not an IANA time zone")
    tz = ZoneInfo(timezone)
    start, end = (
        (t if t.tzinfo is not None else t.replace(tzinfo=tz)).astimezone(UTC)
        for t in (starts_at, ends_at)
    )
    if end <= start:
        raise InvalidWindow("the end must come after the start")
    if end - start > MAX_SPAN:
        raise InvalidWindow("a campaign lasts at most 366 days")
    return Window(start, end, timezone)
