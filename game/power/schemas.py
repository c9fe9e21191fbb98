"""Response shapes of the meter endpoint: kWh as decimal strings, summed from watt-hours."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import msgspec

from game.power.readings import WH_PER_KWH, MeterSummary


def kwh(wh: int) -> Decimal:
    """Watt-hours as kWh with three decimals."""
    return (Decimal(wh) / WH_PER_KWH).quantize(Decimal("0.001"))


class MeterOut(msgspec.Struct):
    """One of the player's meters."""

    meter_ref: str
    source: str


class DayOut(msgspec.Struct):
    """kWh used on one local day and how many 15-minute intervals were read."""

    date: date
    kwh: Decimal
    intervals: int


class MonthOut(msgspec.Struct):
    """kWh used in one local month."""

    month: str
    kwh: Decimal


class MeterSummaryOut(msgspec.Struct):
    """Daily kWh of one month and monthly kWh of the twelve months up to it."""

    month: str
    month_kwh: Decimal
    meters: list[MeterOut]
    days: list[DayOut]
    months: list[MonthOut]


def meter_summary_out(summary: MeterSummary) -> MeterSummaryOut:
    """Show a meter summary in kWh."""
    month_wh = sum(d.wh for d in summary.days)
    return MeterSummaryOut(
        month=summary.month.strftime("%Y-%m"),
        month_kwh=kwh(month_wh),
        meters=[MeterOut(meter_ref=m.meter_ref, source=m.source) for m in summary.meters],
        days=[DayOut(date=d.day, kwh=kwh(d.wh), intervals=d.intervals) for d in summary.days],
        months=[MonthOut(month=m.strftime("%Y-%m"), kwh=kwh(wh)) for m, wh in summary.months],
    )
