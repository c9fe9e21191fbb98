"""Settling a household's part in a power-saving event from its 15-minute readings
(docs/power.md#missing-and-late-readings).

* **baseline** = the mean use in the same window on the previous N weekdays (N = 5 by default);
  every interval of every meter of the household must be read on each of those days, else the
  household has no baseline and is settled `no-baseline` with nothing credited;
* **saved** = max(0, baseline - actual), where actual needs every interval of the window;
* reward = saved x the event's rate (fen, rounded down), CO2 avoided = saved x its factor.

A household settles as soon as the batch that completes its window's readings commits (the
readings hook), however late that batch is, and only once: its entry leaves `joined`, and the
energy (scenario `peak_power_saving`) and the reward carry keys of their own. A household still
waiting `GREENSPARK_POWER_EVENT_READINGS_GRACE_DAYS` after the window is closed by the worker
as `missing-readings`, with nothing credited; readings arriving after that change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count, Sum

from core.clock import Clock
from core.db import in_transaction
from core.errors import DomainError
from core.events import EventSink
from game.carbon.actions import ActionInput, record_action
from game.carbon.catalog import Catalog
from game.energy.bubbles import BubbleTiming
from game.power.models import Meter, MeterReading
from game.power.readings import INTERVAL, ReadingsStored
from game.rewards.grants import GrantRequest, RewardSpec, grant_reward
from game.saving.events.models import PowerEvent, PowerEventEntry
from game.store.credit import apply_credit

SCENARIO = "peak_power_saving"
# The final status of a household whose window readings did not come within the grace days.
MISSING_READINGS = "missing-readings"
MESSAGES = {
    "no-baseline": "Too little meter history before the event to measure a saving",
    MISSING_READINGS: "Your meter readings for the event window did not arrive: nothing to pay",
}
ACTION_SOURCE = "power_event"


@dataclass(frozen=True)
class Settling:
    """What settling needs: the clock, the events, bubble timing, the catalog, the baseline."""

    clock: Clock
    events: EventSink
    timing: BubbleTiming
    catalog: Catalog
    baseline_days: int


def baseline_days(day: date, count: int) -> list[date]:
    """The `count` weekdays (Monday to Friday) before `day`, nearest first."""
    found: list[date] = []
    probe = day
    while len(found) < count:
        probe -= timedelta(days=1)
        if probe.weekday() < 5:
            found.append(probe)
    return found


async def _window_use(
    conn: BaseDBAsyncClient, meter_ids: list[int], starts: datetime, ends: datetime
) -> int | None:
    """Wh used in [starts, ends) over the meters, or None unless every interval is read."""
    intervals = int((ends - starts) / INTERVAL)
    # Compared in UTC: SQLite compares stored times as text.
    starts, ends = starts.astimezone(UTC), ends.astimezone(UTC)
    rows = (
        await MeterReading.filter(
            meter_id__in=meter_ids, interval_start__gte=starts, interval_start__lt=ends
        )
        .using_db(conn)
        .annotate(wh_sum=Sum("wh"), n=Count("id"))
        .values("wh_sum", "n")
    )
    row = rows[0] if rows else None
    if row is None or int(row["n"] or 0) < intervals * len(meter_ids):
        return None
    return int(row["wh_sum"] or 0)


@dataclass(frozen=True)
class Measured:
    """The readings of a household for an event: actual (None until complete) and baseline
    (None without enough history)."""

    actual_wh: int | None
    baseline_wh: int | None


async def measure(conn: BaseDBAsyncClient, event: PowerEvent, user_id: int, days: int) -> Measured:
    """The household's use in the window and its baseline from the previous weekdays."""
    meters = await Meter.filter(user_id=user_id).using_db(conn).values("id")
    meter_ids = [int(m["id"]) for m in meters]
    if not meter_ids:
        return Measured(None, None)
    actual = await _window_use(conn, meter_ids, event.window_start, event.window_end)
    tz = ZoneInfo(event.timezone)
    local_start = event.window_start.astimezone(tz).time()
    local_end = event.window_end.astimezone(tz).time()
    uses = []
    for day in baseline_days(event.local_date, days):
        used = await _window_use(
            conn, meter_ids,
            datetime.combine(day, local_start, tz), datetime.combine(day, local_end, tz),
        )  # fmt: skip
        if used is None:
            return Measured(actual, None)
        uses.append(used)
    return Measured(actual, sum(uses) // len(uses))


def feedback(saved_wh: int, co2_g: int, reward_fen: int) -> str:
    """The sentence a household reads: "You saved 0.8 kWh, 456 g CO2, 1.60 yuan"."""
    kwh = (Decimal(saved_wh) / 1000).normalize()
    return f"You saved {kwh:f} kWh, {co2_g} g CO2, {reward_fen // 100}.{reward_fen % 100:02d} yuan"


async def settle_from_readings(
    conn: BaseDBAsyncClient, settling: Settling, stored: ReadingsStored
) -> None:
    """Settle every joined household whose event window the stored readings touch."""
    for user_id, starts in sorted(stored.intervals.items()):
        low, high = min(starts), max(starts)
        entries = await PowerEventEntry.filter(
            user_id=user_id, status="joined",
            event__window_start__lte=high, event__window_end__gt=low,
        ).using_db(conn).values("id")  # fmt: skip
        for entry_id in sorted(int(e["id"]) for e in entries):
            await settle_entry(conn, settling, entry_id)


async def settle_entry(conn: BaseDBAsyncClient, settling: Settling, entry_id: int) -> None:
    """Settle one household once its window is read: energy, reward and feedback, once."""
    entry = (
        await PowerEventEntry.filter(id=entry_id, status="joined")
        .using_db(conn)
        .select_for_update()
        .first()
    )
    if entry is None:
        return
    event = await PowerEvent.filter(id=entry.event_id).using_db(conn).get()
    measured = await measure(conn, event, entry.user_id, settling.baseline_days)
    if measured.actual_wh is None:
        return
    now = settling.clock.now()
    entry.actual_wh, entry.settled_at = measured.actual_wh, now
    if measured.baseline_wh is None:
        entry.status = "no-baseline"
        await entry.save(using_db=conn)
        await settling.events.publish(
            conn, entry.user_id, "power_event.settled", _result(event, entry)
        )
        return
    saved = max(0, measured.baseline_wh - measured.actual_wh)
    minutes = int((event.window_end - event.window_start).total_seconds() // 60)
    entry.status, entry.baseline_wh, entry.saved_wh = "settled", measured.baseline_wh, saved
    entry.peak_w = saved * 60 // minutes
    entry.co2_g = int(
        (Decimal(saved) * Decimal(event.factor_g_per_kwh) / 1000).to_integral_value(ROUND_FLOOR)
    )
    if saved > 0:
        entry.action_id = await _credit_energy(settling, event, entry.user_id, saved)
        await _reward(conn, settling, event, entry, saved * event.rate_fen_per_kwh // 1000)
    await entry.save(using_db=conn)
    await settling.events.publish(conn, entry.user_id, "power_event.settled", _result(event, entry))


async def _credit_energy(
    settling: Settling, event: PowerEvent, user_id: int, saved_wh: int
) -> int | None:
    """Energy for the kWh saved through the `peak_power_saving` scenario, once per household."""
    given = ActionInput(
        user_id=user_id, tz=ZoneInfo(event.timezone), scenario=settling.catalog.get(SCENARIO),
        quantity=Decimal(saved_wh) / 1000, source=ACTION_SOURCE,
        external_id=f"{event.id}:{user_id}",
    )  # fmt: skip
    try:
        recorded = await record_action(settling.clock, settling.timing, given)
    except DomainError:
        # The day's cap is used up: the reward is still paid, no more energy today.
        return None
    return int(recorded.action.id)


async def _reward(
    conn: BaseDBAsyncClient,
    settling: Settling,
    event: PowerEvent,
    entry: PowerEventEntry,
    reward_fen: int,
) -> None:
    if reward_fen <= 0:
        return
    spec = RewardSpec(
        kind="credit" if event.payout == "credit" else "voucher", pool_id=event.pool_id,
        amount=reward_fen, valid_days=event.voucher_valid_days,
    )  # fmt: skip
    request = GrantRequest(
        key=f"power_event:{event.id}:{entry.user_id}", user_id=entry.user_id,
        source="power_event", spec=spec, reason=f"power saving: {event.name}",
    )  # fmt: skip
    granted = await grant_reward(conn, settling.clock, settling.events, request)
    grant = granted.grant
    entry.grant_id, entry.reward_outcome = grant.id, grant.outcome
    entry.reward_fen = grant.cost
    if grant.outcome == "granted" and grant.kind == "credit" and granted.new:
        await apply_credit(
            conn, settling.clock, user_id=entry.user_id, delta=grant.cost, kind="grant",
            key=f"grant:{grant.id}", reason=f"power saving: {event.name}",
        )  # fmt: skip


def _result(event: PowerEvent, entry: PowerEventEntry) -> dict[str, object]:
    """The data of a `power_event.settled` event."""
    return {
        "event_id": event.id,
        "name": event.name,
        "status": entry.status,
        "saved_kwh": str(Decimal(entry.saved_wh) / 1000),
        "co2_g": entry.co2_g,
        "reward_fen": entry.reward_fen,
        "reward_outcome": entry.reward_outcome or None,
        "message": feedback(entry.saved_wh, entry.co2_g, entry.reward_fen)
        if entry.status == "settled"
        else MESSAGES[entry.status],
    }


@dataclass(frozen=True)
class Closing:
    """What closing needs: the clock, the events and how long readings may take."""

    clock: Clock
    events: EventSink
    grace: timedelta


async def close_overdue_entries(closing: Closing, batch: int = 200) -> int:
    """Settle households still waiting `grace` after their window as `missing-readings`.

    Nothing is credited. Each household closes in its own transaction under its row lock and
    only while it is still `joined`, so two workers never close one twice and a reading that
    arrives later finds nothing left to settle. Returns how many households this run closed.
    """
    closed = 0
    cutoff = closing.clock.now() - closing.grace
    while True:
        rows = await PowerEventEntry.filter(
            status="joined", event__window_end__lte=cutoff.astimezone(UTC)
        ).order_by("id").limit(batch).values("id")  # fmt: skip
        due = [int(row["id"]) for row in rows]
        if not due:
            return closed
        for entry_id in due:
            async with in_transaction() as conn:
                closed += await _close(conn, closing, entry_id)
        if len(due) < batch:
            return closed


async def _close(conn: BaseDBAsyncClient, closing: Closing, entry_id: int) -> int:
    entry = (
        await PowerEventEntry.filter(id=entry_id, status="joined")
        .using_db(conn)
        .select_for_update()
        .first()
    )
    if entry is None:
        return 0
    entry.status, entry.settled_at = MISSING_READINGS, closing.clock.now()
    await entry.save(using_db=conn, update_fields=["status", "settled_at"])
    event = await PowerEvent.filter(id=entry.event_id).using_db(conn).get()
    await closing.events.publish(conn, entry.user_id, "power_event.settled", _result(event, entry))
    return 1
