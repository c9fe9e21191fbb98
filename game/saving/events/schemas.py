"""Request and response shapes of power-saving events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from core.fields import Name, Region
from game.saving.events.models import PowerEvent, PowerEventEntry
from game.saving.events.stats import EventStats

Clock = Annotated[str, msgspec.Meta(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["19:00"])]
Timezone = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z_/+-]+$")]


class EventIn(msgspec.Struct, forbid_unknown_fields=True):
    """A peak window to announce: its region, local day and times, rate and budget pool."""

    name: Name
    region: Annotated[Region, msgspec.Meta(min_length=1)]
    date: date
    start: Clock
    end: Clock
    pool_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    payout: Annotated[str, msgspec.Meta(pattern=r"^(credit|voucher)$")] = "credit"
    timezone: Timezone = "Asia/Shanghai"
    rate_fen_per_kwh: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None
    grid_factor_kg_per_kwh: (
        Annotated[str, msgspec.Meta(pattern=r"^\d{1,2}(\.\d{1,6})?$", examples=["0.5703"])] | None
    ) = None
    voucher_valid_days: Annotated[int, msgspec.Meta(ge=1, le=3_650)] = 30


class EntryOut(msgspec.Struct):
    """My part in an event: joined, settled (with the outcome), no-baseline or missing-readings."""

    status: str
    joined_at: datetime
    baseline_kwh: str | None
    actual_kwh: str | None
    saved_kwh: str
    co2_g: int
    reward_fen: int
    reward_outcome: str | None
    settled_at: datetime | None


class EventOut(msgspec.Struct):
    """A power-saving event, with my part in it when I opted in."""

    id: int
    name: str
    region: str
    date: date
    window_start: datetime
    window_end: datetime
    rate_fen_per_kwh: int
    grid_factor_kg_per_kwh: str
    payout: str
    pool_id: int
    me: EntryOut | None


def _kwh(wh: int | None) -> str | None:
    return None if wh is None else f"{Decimal(wh) / 1000:.3f}"


def event_out(event: PowerEvent, entry: PowerEventEntry | None) -> EventOut:
    """Show an event and the player's entry."""
    me = None
    if entry is not None:
        me = EntryOut(
            status=entry.status, joined_at=entry.joined_at, baseline_kwh=_kwh(entry.baseline_wh),
            actual_kwh=_kwh(entry.actual_wh), saved_kwh=_kwh(entry.saved_wh) or "0.000",
            co2_g=entry.co2_g, reward_fen=entry.reward_fen,
            reward_outcome=entry.reward_outcome or None, settled_at=entry.settled_at,
        )  # fmt: skip
    return EventOut(
        id=event.id, name=event.name, region=event.region, date=event.local_date,
        window_start=event.window_start, window_end=event.window_end,
        rate_fen_per_kwh=event.rate_fen_per_kwh,
        grid_factor_kg_per_kwh=f"{Decimal(event.factor_g_per_kwh) / 1000:f}",
        payout=event.payout, pool_id=event.pool_id, me=me,
    )  # fmt: skip


class StatsOut(msgspec.Struct):
    """An event's households, kWh saved, CO2, rewards and the kW shaved at peak."""

    event_id: int
    invited: int
    households: int
    settled: int
    no_baseline: int
    missing_readings: int
    awaiting_readings: int
    saved_kwh: str
    co2_g: int
    reward_fen: int
    capacity_kw: str


def stats_out(stats: EventStats) -> StatsOut:
    """Show an event's totals."""
    return StatsOut(
        event_id=stats.event.id, invited=stats.invited, households=stats.households,
        settled=stats.settled, no_baseline=stats.no_baseline,
        missing_readings=stats.missing_readings, awaiting_readings=stats.awaiting_readings,
        saved_kwh=f"{stats.saved_kwh:.3f}",
        co2_g=stats.co2_g, reward_fen=stats.reward_fen, capacity_kw=f"{stats.capacity_kw:.3f}",
    )  # fmt: skip
