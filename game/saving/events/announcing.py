"""Announcing a peak-hour power-saving event and inviting the households of its region
(docs/power.md#peak-hour-power-saving).

An event is one peak window on one local day. Announcing checks the window (on quarter hours,
in the future, inside the day) and that its pool pays in fen, then invites every player of the
region: a `power_event.invited` event, which the inbox turns into a notification.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo, available_timezones

from core.clock import Clock
from core.db import in_transaction
from core.errors import Invalid, NotFound
from core.events import EventSink
from core.settings import Settings
from core.users import Role, User
from game.rewards.pools import usable_pool
from game.saving.events.models import PowerEvent, PowerEventEntry

Payout = str  # "credit" (store credit) or "voucher"


class PowerEventNotFound(NotFound):
    """No such power-saving event (or not one this player may see)."""

    code = "power-event-not-found"
    title = "Power-saving event not found"


class UnknownEventTimezone(Invalid):
    """An event's time zone is an IANA name such as Asia/Shanghai."""

    code = "unknown-timezone"
    title = "Unknown time zone"


class InvalidPeakWindow(Invalid):
    """The window must start and end on quarter hours of one day, and not have begun."""

    code = "invalid-peak-window"
    title = "Invalid peak window"


@dataclass(frozen=True)
class EventRules:
    """Defaults and the baseline length, from settings."""

    baseline_days: int
    rate_fen_per_kwh: int
    factor_g_per_kwh: Decimal

    @classmethod
    def from_settings(cls, settings: Settings) -> EventRules:
        """GREENSPARK_POWER_EVENT_BASELINE_DAYS, _RATE_FEN_PER_KWH, _GRID_FACTOR_G_PER_KWH."""
        return cls(
            baseline_days=settings.power_event_baseline_days,
            rate_fen_per_kwh=settings.power_event_rate_fen_per_kwh,
            factor_g_per_kwh=Decimal(settings.power_event_grid_factor_g_per_kwh),
        )


@dataclass(frozen=True)
class NewEvent:
    """What a campaign manager (or the grid partner) announces."""

    name: str
    region: str
    timezone: str
    day: date
    start: time
    end: time
    pool_id: int
    payout: Payout
    rate_fen_per_kwh: int | None = None
    factor_g_per_kwh: Decimal | None = None
    voucher_valid_days: int = 30


def window_of(day: date, start: time, end: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The window's start and end as aware datetimes on that local day."""
    for moment in (start, end):
        if moment.minute % 15 or moment.second or moment.microsecond:
            raise InvalidPeakWindow("the window starts and ends on :00, :15, :30 or :45")
    if end <= start:
        raise InvalidPeakWindow("the window ends after it starts, on the same day")
    return (
        datetime.combine(day, start, tz).astimezone(UTC),
        datetime.combine(day, end, tz).astimezone(UTC),
    )


async def announce_event(
    clock: Clock,
    events: EventSink,
    rules: EventRules,
    given: NewEvent,
    *,
    by_user_id: int | None = None,
    partner_id: int | None = None,
) -> PowerEvent:
    """Record the event and invite every player of its region, in one transaction."""
    if given.timezone not in available_timezones():
        raise UnknownEventTimezone(f"{given.timezone!r} is not an IANA time zone")
    tz = ZoneInfo(given.timezone)
    starts, ends = window_of(given.day, given.start, given.end, tz)
    if starts <= clock.now():
        raise InvalidPeakWindow("the window must not have begun: players opt in before it")
    await usable_pool(given.pool_id, needs_fen=True)
    async with in_transaction() as conn:
        event = await PowerEvent.create(
            using_db=conn, name=given.name, region=given.region, timezone=given.timezone,
            local_date=given.day, window_start=starts, window_end=ends,
            rate_fen_per_kwh=(
                rules.rate_fen_per_kwh if given.rate_fen_per_kwh is None
                else given.rate_fen_per_kwh
            ),
            factor_g_per_kwh=given.factor_g_per_kwh or rules.factor_g_per_kwh,
            payout=given.payout, pool_id=given.pool_id,
            voucher_valid_days=given.voucher_valid_days, announced_by_id=by_user_id,
            partner_id=partner_id, created_at=clock.now(),
        )  # fmt: skip
        invited = (
            await User.filter(region=given.region, role=Role.PLAYER).using_db(conn).values("id")
        )
        for row in invited:
            await events.publish(conn, int(row["id"]), "power_event.invited", invitation(event))
        event.invited = len(invited)
        await event.save(using_db=conn, update_fields=["invited"])
    return event


def invitation(event: PowerEvent) -> dict[str, object]:
    """The data of a `power_event.invited` event."""
    return {
        "event_id": event.id,
        "name": event.name,
        "window_start": event.window_start.isoformat(),
        "window_end": event.window_end.isoformat(),
        "rate_fen_per_kwh": event.rate_fen_per_kwh,
    }


async def event_for(user: User, event_id: int) -> tuple[PowerEvent, PowerEventEntry | None]:
    """An event of the player's region (staff see every event), with the player's entry."""
    event = await PowerEvent.get_or_none(id=event_id)
    if event is None or (user.role == Role.PLAYER and event.region != user.region):
        raise PowerEventNotFound(f"no power-saving event {event_id}")
    entry = await PowerEventEntry.get_or_none(event_id=event_id, user_id=user.id)
    return event, entry


async def events_for(user: User) -> list[tuple[PowerEvent, PowerEventEntry | None]]:
    """The events of the player's region (every event, for staff), newest first."""
    query = PowerEvent.all() if user.role != Role.PLAYER else PowerEvent.filter(region=user.region)
    shown = list(await query.order_by("-window_start").limit(100))
    entries = {
        e.event_id: e
        for e in await PowerEventEntry.filter(user_id=user.id, event_id__in=[ev.id for ev in shown])
    }
    return [(event, entries.get(event.id)) for event in shown]
