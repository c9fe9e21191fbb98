"""Board periods: all time, the player's local ISO week, the player's local month.

A period board is shared by every time zone: a player adds to the board of the week (or month)
that is current on *their* calendar, and a reader sees the board of *their* current week. The
board of week 2026-W24 therefore collects gains from Monday 00:00 at UTC+14 until Monday 00:00
at UTC-12 of the next week; its reached-at clock starts at the earlier of the two.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Literal

Period = Literal["all", "week", "month"]
PERIODS: tuple[Period, ...] = ("all", "week", "month")

# The first and last time zones on Earth: a calendar period starts here first and ends there last.
EARLIEST = timezone(timedelta(hours=14))
LATEST = timezone(timedelta(hours=-12))
# Lifetime boards count their reached-at seconds from here; 30 bits of seconds reach 2059.
LIFETIME_ORIGIN = datetime(2025, 1, 1, tzinfo=UTC)
LIFETIME_END = LIFETIME_ORIGIN + timedelta(seconds=(1 << 30) - 1)
ALL_LABEL = "all"


def label_of(period: Period, moment: datetime, tz: tzinfo) -> str:
    """The period a moment falls in on a calendar: `all`, `2026-W24` or `2026-06`."""
    if period == "all":
        return ALL_LABEL
    local = moment.astimezone(tz)
    if period == "week":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year}-{local.month:02d}"


def _first_days(period: Period, label: str) -> tuple[date, date]:
    if period == "week":
        year, _, week = label.partition("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
        return first, first + timedelta(days=7)
    year_text, _, month_text = label.partition("-")
    y, m = int(year_text), int(month_text)
    return date(y, m, 1), date(y + m // 12, m % 12 + 1, 1)


def local_bounds(period: Period, label: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """When a period starts and ends on one calendar (local midnights, DST included), in UTC."""
    if period == "all":
        return LIFETIME_ORIGIN, LIFETIME_END
    first, after = _first_days(period, label)
    # In UTC: SQLite compares stored timestamps as text, so every bound must share one offset.
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    return start, datetime.combine(after, time(0), tzinfo=tz).astimezone(UTC)


def board_bounds(period: Period, label: str) -> tuple[datetime, datetime]:
    """From the period's first start (UTC+14) to its last end (UTC-12), across all time zones."""
    if period == "all":
        return LIFETIME_ORIGIN, LIFETIME_END
    start, _ = local_bounds(period, label, EARLIEST)
    _, end = local_bounds(period, label, LATEST)
    return start, end


def live_labels(period: Period, moment: datetime) -> list[str]:
    """The periods current somewhere on Earth at a moment (two around a period's turn)."""
    labels = {label_of(period, moment, EARLIEST), label_of(period, moment, LATEST)}
    return sorted(labels)
