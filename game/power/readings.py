"""Storing 15-minute meter readings, summed by day and month (docs/rules.md#meter-readings).

Readings are kept in watt-hours (integers), so sums are exact on every database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Literal, cast
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.functions import Count, Sum

from core.clock import Clock
from core.db import in_transaction
from core.errors import DomainError, Invalid
from core.hooks import Hook
from core.settings import Settings
from game.power.models import Meter, MeterReading, ReadingCorrection

INTERVAL = timedelta(minutes=15)
WH_PER_KWH = 1000

ReadingStatus = Literal["stored", "corrected", "duplicate", "refused"]


class IntervalNotAligned(Invalid):
    """Intervals start on a quarter hour: :00, :15, :30 or :45, with no seconds."""

    code = "interval-not-aligned"
    title = "The interval does not start on a quarter hour"


class ReadingTimeOutOfRange(Invalid):
    """The interval has not ended yet, or is older than the readings kept."""

    code = "reading-time-out-of-range"
    title = "Reading time out of range"


class InvalidKwh(Invalid):
    """kWh is a decimal from 0 to the per-interval maximum, with at most 3 places."""

    code = "invalid-kwh"
    title = "Invalid kWh"


class MeterOfAnotherPlayer(Invalid):
    """The meter is registered to another player."""

    code = "meter-of-another-player"
    title = "The meter belongs to another player"


class RepeatedInBatch(Invalid):
    """The same meter and interval appear twice in one batch."""

    code = "repeated-in-batch"
    title = "This meter and interval are already in the batch"


class InvalidMonth(Invalid):
    """Months are written YYYY-MM."""

    code = "invalid-month"
    title = "Invalid month"


@dataclass(frozen=True)
class ReadingRules:
    """Limits on readings, from settings."""

    max_age: timedelta
    max_wh: int

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadingRules:
        """GREENSPARK_METER_READING_MAX_AGE_SECONDS and GREENSPARK_METER_MAX_KWH_PER_INTERVAL."""
        return cls(
            max_age=timedelta(seconds=settings.meter_reading_max_age_seconds),
            max_wh=settings.meter_max_kwh_per_interval * WH_PER_KWH,
        )


@dataclass(frozen=True)
class ReadingInput:
    """One reading as it arrives: whose meter, which interval, how much."""

    meter_ref: str
    user_id: int
    tz: ZoneInfo
    interval_start: datetime
    kwh: Decimal


@dataclass(frozen=True)
class ReadingOutcome:
    """What became of one reading; `previous_wh` is set on a correction."""

    status: ReadingStatus
    reason: str | None = None
    detail: str | None = None
    previous_wh: int | None = None


@dataclass(frozen=True)
class ReadingsStored:
    """The intervals a batch stored or corrected, by player (the meters' owners)."""

    intervals: dict[int, list[datetime]]


# Fired inside the batch's transaction once its readings are written; power-saving events
# settle a household from it as soon as the last reading of their window is in.
readings_stored: Hook[ReadingsStored] = Hook("power.readings_stored")


def checked_wh(rules: ReadingRules, kwh: Decimal) -> int:
    """The reading in watt-hours, or InvalidKwh."""
    if not kwh.is_finite() or kwh < 0 or kwh != kwh.quantize(Decimal("0.001")):
        raise InvalidKwh("kWh must be a number of at least 0 with at most 3 decimal places")
    wh = int(kwh * WH_PER_KWH)
    if wh > rules.max_wh:
        raise InvalidKwh(f"at most {rules.max_wh // WH_PER_KWH} kWh in one interval")
    return wh


def check_interval(rules: ReadingRules, start: datetime, now: datetime) -> datetime:
    """The interval start in UTC if it is aligned, ended and recent enough."""
    start = start.astimezone(UTC)
    if start.minute % 15 or start.second or start.microsecond:
        raise IntervalNotAligned("interval_start must be on :00, :15, :30 or :45 exactly")
    if start + INTERVAL > now:
        raise ReadingTimeOutOfRange("the interval has not ended yet")
    if start < now - rules.max_age:
        raise ReadingTimeOutOfRange(
            f"readings older than {int(rules.max_age.total_seconds())} s are not taken"
        )
    return start


def _refused(error: DomainError) -> ReadingOutcome:
    return ReadingOutcome(status="refused", reason=error.code, detail=error.detail)


async def _meters_for(
    conn: BaseDBAsyncClient, clock: Clock, source: str, owners: dict[str, int]
) -> dict[str, Meter]:
    """The meters named in a batch, registered to the player of their first reading if new."""
    now = clock.now()
    await Meter.bulk_create(
        [
            Meter(source=source, meter_ref=ref, user_id=uid, created_at=now)
            for ref, uid in owners.items()
        ],
        ignore_conflicts=True,
        using_db=conn,
    )
    found = await Meter.filter(source=source, meter_ref__in=list(owners)).using_db(conn)
    return {m.meter_ref: m for m in found}


async def store_readings(
    conn: BaseDBAsyncClient,
    clock: Clock,
    rules: ReadingRules,
    source: str,
    readings: Sequence[ReadingInput | DomainError],
) -> list[ReadingOutcome]:
    """Store a batch inside the caller's transaction: new intervals are inserted, a resent one
    with another value is corrected (the later value wins, the old one is audited), the same
    value again is a duplicate. Items given as errors are refused as they are."""
    now = clock.now()
    outcomes: list[ReadingOutcome | None] = [None] * len(readings)
    checked: dict[int, tuple[ReadingInput, datetime, int]] = {}
    for index, given in enumerate(readings):
        try:
            if isinstance(given, DomainError):
                raise given
            start = check_interval(rules, given.interval_start, now)
            checked[index] = (given, start, checked_wh(rules, given.kwh))
        except DomainError as error:
            outcomes[index] = _refused(error)
    owners: dict[str, int] = {}
    for given, _, _ in checked.values():
        owners.setdefault(given.meter_ref, given.user_id)
    meters = await _meters_for(conn, clock, source, owners) if owners else {}
    wanted: dict[tuple[int, datetime], tuple[int, ReadingInput, int]] = {}
    for index, (given, start, wh) in checked.items():
        meter = meters[given.meter_ref]
        if meter.user_id != given.user_id:
            outcomes[index] = _refused(MeterOfAnotherPlayer(f"meter {given.meter_ref!r}"))
        elif (meter.id, start) in wanted:
            outcomes[index] = _refused(RepeatedInBatch(f"{given.meter_ref} at {start.isoformat()}"))
        else:
            wanted[(meter.id, start)] = (index, given, wh)
    changed: dict[int, list[datetime]] = {}
    for key, outcome in (await _write(conn, now, wanted)).items():
        outcomes[wanted[key][0]] = outcome
        if outcome.status in ("stored", "corrected"):
            changed.setdefault(wanted[key][1].user_id, []).append(key[1])
    if changed:
        await readings_stored.fire(conn, ReadingsStored(changed))
    # Every reading was refused above or written by _write, so none is left without an outcome.
    assert all(o is not None for o in outcomes)
    return cast(list[ReadingOutcome], outcomes)


async def _existing(
    conn: BaseDBAsyncClient, keys: Sequence[tuple[int, datetime]]
) -> dict[tuple[int, datetime], MeterReading]:
    """The stored readings among `keys`, locked until the caller's transaction ends."""
    if not keys:
        return {}
    rows = (
        await MeterReading.filter(
            meter_id__in={m for m, _ in keys}, interval_start__in={s for _, s in keys}
        )
        .using_db(conn)
        .select_for_update()
    )
    wanted = set(keys)
    found = {(r.meter_id, r.interval_start.astimezone(UTC)): r for r in rows}
    return {k: v for k, v in found.items() if k in wanted}


async def _write(
    conn: BaseDBAsyncClient,
    now: datetime,
    wanted: dict[tuple[int, datetime], tuple[int, ReadingInput, int]],
) -> dict[tuple[int, datetime], ReadingOutcome]:
    existing = await _existing(conn, list(wanted))
    fresh = [
        MeterReading(
            meter_id=meter_id,
            interval_start=start,
            local_date=start.astimezone(given.tz).date(),
            wh=wh,
            received_at=now,
        )
        for (meter_id, start), (_, given, wh) in wanted.items()
        if (meter_id, start) not in existing
    ]
    try:
        async with in_transaction() as savepoint:
            await MeterReading.bulk_create(fresh, using_db=savepoint)
    except IntegrityError:
        # A concurrent batch stored some of these intervals first: they are resends now.
        existing = await _existing(conn, list(wanted))
        fresh = [r for r in fresh if (r.meter_id, r.interval_start) not in existing]
        await MeterReading.bulk_create(fresh, using_db=conn)
    done = {(r.meter_id, r.interval_start): ReadingOutcome(status="stored") for r in fresh}
    for key, row in existing.items():
        done[key] = await _resend(conn, now, row, wanted[key][2])
    return done


async def _resend(
    conn: BaseDBAsyncClient, now: datetime, row: MeterReading, wh: int
) -> ReadingOutcome:
    """A reading for an interval already stored: the same value is a duplicate, another one
    replaces it and the correction is audited."""
    if row.wh == wh:
        return ReadingOutcome(status="duplicate")
    revision = row.revision + 1
    await (
        MeterReading.filter(id=row.id)
        .using_db(conn)
        .update(wh=wh, revision=revision, received_at=now)
    )
    await ReadingCorrection.create(
        using_db=conn, reading_id=row.id, old_wh=row.wh, new_wh=wh, revision=revision,
        corrected_at=now,
    )  # fmt: skip
    return ReadingOutcome(status="corrected", previous_wh=row.wh)


def month_start(text: str | None, today: date) -> date:
    """The first day of a month written YYYY-MM, or of the month of `today`."""
    if text is None:
        return today.replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise InvalidMonth(f"{text!r} is not a month written YYYY-MM") from None


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DayUse:
    """Watt-hours used on one local day, and how many intervals were read."""

    day: date
    wh: int
    intervals: int


@dataclass(frozen=True)
class MeterSummary:
    """A player's meters, each day of one month, and the twelve months up to it."""

    month: date
    meters: list[Meter]
    days: list[DayUse]
    months: list[tuple[date, int]]


async def meter_summary(
    clock: Clock, user_id: int, tz: ZoneInfo, month: str | None
) -> MeterSummary:
    """Daily and monthly use over all the player's meters, on the player's calendar."""
    first = month_start(month, clock.now().astimezone(tz).date())
    meters = list(await Meter.filter(user_id=user_id).order_by("id"))
    since, until = _add_months(first, -11), _add_months(first, 1)
    rows = (
        await MeterReading.filter(
            meter_id__in=[m.id for m in meters], local_date__gte=since, local_date__lt=until
        )
        .annotate(wh_sum=Sum("wh"), n=Count("id"))
        .group_by("local_date")
        .values("local_date", "wh_sum", "n")
        if meters
        else []
    )
    by_day = {row["local_date"]: (int(row["wh_sum"] or 0), int(row["n"])) for row in rows}
    days = [DayUse(day, *by_day[day]) for day in sorted(by_day) if first <= day < until]
    months = []
    for step in range(12):
        start = _add_months(since, step)
        end = _add_months(start, 1)
        months.append((start, sum(wh for d, (wh, _) in by_day.items() if start <= d < end)))
    return MeterSummary(month=first, meters=meters, days=days, months=months)
