"""A player's notification choices: kinds on or off for the inbox and push, and quiet hours.

Quiet hours are local times in the player's own time zone; pushes due during them are held
until they end (docs/notifications.md#quiet-hours). The inbox is never quiet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.clock import Clock
from core.errors import Invalid
from social.notifications.kinds import KIND_NAMES
from social.notifications.models import NotificationSettings

MINUTES_A_DAY = 24 * 60


class UnknownKind(Invalid):
    """No notification kind has this name."""

    code = "unknown-notification-kind"
    title = "Unknown notification kind"


class InvalidQuietHours(Invalid):
    """Quiet hours need a start and an end that differ, as HH:MM."""

    code = "invalid-quiet-hours"
    title = "Quiet hours need a different start and end"


@dataclass(frozen=True)
class KindChoice:
    """Whether one kind reaches the inbox, and whether it is pushed."""

    inbox: bool
    push: bool


@dataclass(frozen=True)
class QuietHours:
    """From `start` to `end` minutes after local midnight (across midnight when start > end)."""

    start: int
    end: int

    def holds(self, moment: datetime, tz: ZoneInfo) -> datetime | None:
        """When quiet hours that cover `moment` end (in UTC), or None when they do not cover it."""
        local = moment.astimezone(tz)
        minute = local.hour * 60 + local.minute
        if self.start < self.end:
            inside = self.start <= minute < self.end
        else:
            inside = minute >= self.start or minute < self.end
        if not inside:
            return None
        day = local.date() if minute < self.end else local.date() + timedelta(days=1)
        end = datetime.combine(day, time(self.end // 60, self.end % 60), tzinfo=tz)
        return end.astimezone(moment.tzinfo)


@dataclass(frozen=True)
class Preferences:
    """Every kind's choice, and the quiet hours if any."""

    kinds: dict[str, KindChoice]
    quiet: QuietHours | None


def _preferences(row: NotificationSettings | None) -> Preferences:
    inbox_off = set(row.inbox_off) if row else set()
    push_off = set(row.push_off) if row else set()
    kinds = {k: KindChoice(k not in inbox_off, k not in push_off) for k in KIND_NAMES}
    quiet = None
    if row is not None and row.quiet_start is not None and row.quiet_end is not None:
        quiet = QuietHours(row.quiet_start, row.quiet_end)
    return Preferences(kinds, quiet)


async def preferences_of(user_id: int) -> Preferences:
    """A player's choices (everything on, no quiet hours, until they choose)."""
    return _preferences(await NotificationSettings.get_or_none(user_id=user_id))


def minutes_of(text: str) -> int:
    """Minutes after midnight of an `HH:MM` time."""
    return int(text[:2]) * 60 + int(text[3:])


async def choose_preferences(
    clock: Clock,
    user_id: int,
    kinds: Mapping[str, KindChoice],
    quiet: tuple[str, str] | None,
) -> Preferences:
    """Replace a player's choices; kinds left out are on."""
    unknown = sorted(set(kinds) - set(KIND_NAMES))
    if unknown:
        raise UnknownKind(f"unknown kinds: {', '.join(unknown)}", known=list(KIND_NAMES))
    start = end = None
    if quiet is not None:
        start, end = minutes_of(quiet[0]), minutes_of(quiet[1])
        if start == end:
            raise InvalidQuietHours()
    values = {
        "inbox_off": _off(k for k, c in kinds.items() if not c.inbox),
        "push_off": _off(k for k, c in kinds.items() if not c.push),
        "quiet_start": start,
        "quiet_end": end,
        "updated_at": clock.now(),
    }
    row, _ = await NotificationSettings.update_or_create(values, user_id=user_id)
    return _preferences(row)


def _off(names: Iterable[str]) -> list[str]:
    return sorted(set(names))
