"""The carbon account: actions within caps, and the summary (docs/rules.md#carbon-actions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Count, Sum

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Forbidden, Invalid
from core.hooks import Hook
from core.settings import Settings
from game.carbon.catalog import Catalog, Scenario
from game.carbon.models import Action, DailyUsage
from game.energy.bubbles import BubbleTiming, grow_bubble
from game.energy.models import Bubble

SELF_SOURCE = "self"


class NotSelfReportable(Forbidden):
    """Players may not report this scenario themselves; a partner must."""

    code = "scenario-not-self-reportable"
    title = "This scenario cannot be self-reported"


class DailyCapReached(Conflict):
    """Nothing more of this scenario can be credited today."""

    code = "daily-cap-reached"
    title = "Daily cap reached for this scenario"


class InvalidQuantity(Invalid):
    """Quantities are finite, positive, at most a million, with at most 3 decimal places."""

    code = "invalid-quantity"
    title = "Invalid quantity"


MAX_QUANTITY = Decimal(1_000_000)


def quantity_value(given: str | int | float) -> Decimal:
    """The decimal a request's quantity stands for (a float by its shortest text form)."""
    text = str(given)
    if text != text.strip():
        raise InvalidQuantity("the quantity is a plain decimal, without spaces")
    return Decimal(text)


def checked_quantity(quantity: Decimal) -> Decimal:
    """The quantity if it is one the account can hold, else InvalidQuantity."""
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        raise InvalidQuantity("the quantity must be above 0 and at most 1,000,000")
    if quantity != quantity.quantize(Decimal("0.001")):
        raise InvalidQuantity("the quantity may have at most 3 decimal places")
    return quantity


class ActionTimeOutOfRange(Invalid):
    """The action is dated in the future or too long ago."""

    code = "action-time-out-of-range"
    title = "Action time out of range"


@dataclass(frozen=True)
class ActionWindow:
    """How far from now an action may be dated (docs/rules.md#carbon-actions)."""

    max_age: timedelta = timedelta(days=7)
    max_ahead: timedelta = timedelta(minutes=5)

    @classmethod
    def from_settings(cls, settings: Settings) -> ActionWindow:
        """GREENSPARK_ACTION_MAX_AGE_SECONDS and GREENSPARK_ACTION_MAX_AHEAD_SECONDS."""
        return cls(
            max_age=timedelta(seconds=settings.action_max_age_seconds),
            max_ahead=timedelta(seconds=settings.action_max_ahead_seconds),
        )

    def check(self, occurred_at: datetime, now: datetime) -> None:
        """Refuse a time too far in the past or the future with ActionTimeOutOfRange."""
        if occurred_at > now + self.max_ahead or occurred_at < now - self.max_age:
            raise ActionTimeOutOfRange(
                f"actions must be dated at most {int(self.max_age.total_seconds())} s ago "
                f"and {int(self.max_ahead.total_seconds())} s ahead",
                max_age_seconds=int(self.max_age.total_seconds()),
                max_ahead_seconds=int(self.max_ahead.total_seconds()),
            )


@dataclass(frozen=True)
class RecordedAction:
    """The outcome of recording an action."""

    action: Action
    bubble: Bubble | None
    duplicate: bool
    capped: bool


@dataclass(frozen=True)
class ActionCredited:
    """A new action credited to a player; a repeat of one already credited is not announced."""

    action_id: int
    user_id: int
    scenario: str
    credited_quantity: Decimal
    grams: int
    occurred_at: datetime
    local_date: date
    credited_at: datetime


# Fired inside the crediting transaction, by every path that credits an action (self-reports,
# partner platforms, the demo); campaigns and monthly medals count from it.
action_credited: Hook[ActionCredited] = Hook("carbon.action_credited")


@dataclass(frozen=True)
class ActionInput:
    """An action as it arrives, before the rules credit it."""

    user_id: int
    tz: ZoneInfo
    scenario: Scenario
    quantity: Decimal
    source: str
    external_id: str
    occurred_at: datetime | None = None


def grams_for(scenario: Scenario, quantity: Decimal) -> int:
    """Grams of CO2e avoided (= grams of energy) for a quantity, rounded down."""
    return int((quantity * scenario.grams_per_unit).to_integral_value(rounding=ROUND_FLOOR))


def self_report(catalog: Catalog, scenario_code: str) -> Scenario:
    """The scenario a player wants to report themselves, if they may."""
    scenario = catalog.get(scenario_code)
    if not scenario.self_reportable:
        raise NotSelfReportable(f"{scenario_code!r} is only credited by partner platforms")
    return scenario


async def record_action(
    clock: Clock, timing: BubbleTiming, given: ActionInput, window: ActionWindow | None = None
) -> RecordedAction:
    """Credit an action once, within the daily cap, and grow a bubble with its energy."""
    checked_quantity(given.quantity)
    now = clock.now()
    occurred_at = given.occurred_at or now
    (window or ActionWindow()).check(occurred_at, now)
    try:
        return await _record_once(clock, timing, given, occurred_at)
    except IntegrityError:
        # A concurrent request with the same (source, external_id) won the race.
        existing = await Action.get(source=given.source, external_id=given.external_id)
        return RecordedAction(action=existing, bubble=None, duplicate=True, capped=False)


async def _record_once(
    clock: Clock, timing: BubbleTiming, given: ActionInput, occurred_at: datetime
) -> RecordedAction:
    local_day = occurred_at.astimezone(given.tz).date()
    scenario = given.scenario
    async with in_transaction() as conn:
        existing = (
            await Action.filter(source=given.source, external_id=given.external_id)
            .using_db(conn)
            .first()
        )
        if existing is not None:
            return RecordedAction(action=existing, bubble=None, duplicate=True, capped=False)
        used = await _lock_daily_usage(conn, given.user_id, scenario.code, local_day)
        room = scenario.daily_cap - used
        if room <= 0:
            raise DailyCapReached(
                f"{scenario.code!r} is capped at {scenario.daily_cap} {scenario.unit} a day",
                cap=str(scenario.daily_cap),
            )
        credited = min(given.quantity, room)
        await (
            DailyUsage.filter(user_id=given.user_id, scenario=scenario.code, local_date=local_day)
            .using_db(conn)
            .update(quantity=F("quantity") + credited)
        )
        grams = grams_for(scenario, credited)
        bubble = None
        if grams > 0:
            bubble = await grow_bubble(
                conn,
                clock,
                timing,
                owner_id=given.user_id,
                scenario=scenario.code,
                rule=scenario.bubble,
                grams=grams,
                local_day=local_day,
                tz=given.tz,
            )
        action = await Action.create(
            using_db=conn,
            user_id=given.user_id,
            scenario=scenario.code,
            source=given.source,
            external_id=given.external_id,
            quantity=given.quantity,
            credited_quantity=credited,
            grams=grams,
            occurred_at=occurred_at,
            local_date=local_day,
            bubble_id=bubble.id if bubble else None,
            created_at=clock.now(),
        )
        credited_moment = ActionCredited(
            action_id=action.id, user_id=given.user_id, scenario=scenario.code,
            credited_quantity=credited, grams=grams, occurred_at=occurred_at,
            local_date=local_day, credited_at=action.created_at,
        )  # fmt: skip
        await action_credited.fire(conn, credited_moment)
    return RecordedAction(
        action=action, bubble=bubble, duplicate=False, capped=credited < given.quantity
    )


async def _lock_daily_usage(
    conn: BaseDBAsyncClient, user_id: int, scenario: str, local_day: date
) -> Decimal:
    """Make sure the day's usage row exists and lock it, so concurrent actions queue here."""
    await DailyUsage.bulk_create(
        [DailyUsage(user_id=user_id, scenario=scenario, local_date=local_day, quantity=0)],
        ignore_conflicts=True,
        using_db=conn,
    )
    row = (
        await DailyUsage.filter(user_id=user_id, scenario=scenario, local_date=local_day)
        .using_db(conn)
        .select_for_update()
        .get()
    )
    return Decimal(row.quantity)


@dataclass
class ScenarioTotals:
    """Grams and quantities of one scenario over the standard periods."""

    scenario: str
    today_grams: int = 0
    week_grams: int = 0
    month_grams: int = 0
    all_grams: int = 0
    all_quantity: Decimal = Decimal(0)
    all_actions: int = 0


@dataclass
class CarbonSummary:
    """A player's carbon account at a glance, in their own calendar."""

    today: date
    week_start: date
    month_start: date
    scenarios: list[ScenarioTotals] = field(default_factory=list)

    def total(self, period: str) -> int:
        """Sum of grams for 'today', 'week', 'month' or 'all'."""
        return sum(int(getattr(s, f"{period}_grams")) for s in self.scenarios)


async def carbon_summary(clock: Clock, user_id: int, tz: ZoneInfo) -> CarbonSummary:
    """Totals by scenario for today, this ISO week, this month and all time."""
    today = clock.now().astimezone(tz).date()
    week_start = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    summary = CarbonSummary(today=today, week_start=week_start, month_start=month_start)
    totals: dict[str, ScenarioTotals] = {}
    lifetime = (
        await Action.filter(user_id=user_id)
        .annotate(grams_sum=Sum("grams"), quantity_sum=Sum("credited_quantity"), n=Count("id"))
        .group_by("scenario")
        .values("scenario", "grams_sum", "quantity_sum", "n")
    )
    for row in lifetime:
        totals[row["scenario"]] = ScenarioTotals(
            scenario=row["scenario"],
            all_grams=int(row["grams_sum"] or 0),
            all_quantity=Decimal(row["quantity_sum"] or 0),
            all_actions=int(row["n"]),
        )
    recent = (
        await Action.filter(user_id=user_id, local_date__gte=min(week_start, month_start))
        .annotate(grams_sum=Sum("grams"))
        .group_by("scenario", "local_date")
        .values("scenario", "local_date", "grams_sum")
    )
    for row in recent:
        entry = totals[row["scenario"]]
        grams = int(row["grams_sum"] or 0)
        day = row["local_date"]
        entry.today_grams += grams if day == today else 0
        entry.week_grams += grams if day >= week_start else 0
        entry.month_grams += grams if day >= month_start else 0
    summary.scenarios = sorted(totals.values(), key=lambda s: -s.all_grams)
    return summary
