"""What a campaign manager sees of an event: households, kWh saved, and the capacity shaved at
peak, a "virtual power plant" (docs/power.md#event-stats)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tortoise.functions import Count, Sum

from game.saving.events.models import PowerEvent, PowerEventEntry


@dataclass(frozen=True)
class EventStats:
    """An event's totals."""

    event: PowerEvent
    invited: int
    households: int
    settled: int
    no_baseline: int
    missing_readings: int
    awaiting_readings: int
    saved_kwh: Decimal
    co2_g: int
    reward_fen: int
    capacity_kw: Decimal


async def event_stats(event: PowerEvent) -> EventStats:
    """Totals over the event's households; capacity = mean kW shaved over the window, summed."""
    rows = (
        await PowerEventEntry.filter(event_id=event.id)
        .annotate(
            n=Count("id"), wh=Sum("saved_wh"), co2=Sum("co2_g"), fen=Sum("reward_fen"),
            w=Sum("peak_w"),
        )
        .group_by("status")
        .values("status", "n", "wh", "co2", "fen", "w")
    )  # fmt: skip
    by = {row["status"]: row for row in rows}

    def total(field: str) -> int:
        return sum(int(row[field] or 0) for row in rows)

    return EventStats(
        event=event, invited=event.invited, households=total("n"),
        settled=int(by.get("settled", {}).get("n") or 0),
        no_baseline=int(by.get("no-baseline", {}).get("n") or 0),
        missing_readings=int(by.get("missing-readings", {}).get("n") or 0),
        awaiting_readings=int(by.get("joined", {}).get("n") or 0),
        saved_kwh=Decimal(total("wh")) / 1000, co2_g=total("co2"), reward_fen=total("fen"),
        capacity_kw=Decimal(total("w")) / 1000,
    )  # fmt: skip
