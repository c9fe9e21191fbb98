"""A partner's daily gram budget: a leaked key cannot mint more than this in a day
(docs/rules.md#partner-platforms)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import structlog
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.errors import Limited
from game.partners import metrics
from game.partners.ingest.models import BudgetDay
from game.partners.platforms.models import PartnerPlatform

log = structlog.get_logger("greenspark.partners")


class PartnerBudgetExhausted(Limited):
    """Crediting this would take the partner past today's gram budget."""

    code = "partner-budget-exhausted"
    title = "The partner's daily gram budget is used up"


def budget_day(clock: Clock, platform: PartnerPlatform) -> date:
    """Today in the partner's own time zone: budgets follow the partner's calendar."""
    return clock.now().astimezone(ZoneInfo(platform.timezone)).date()


async def open_budget_day(platform: PartnerPlatform, day: date) -> None:
    """Make sure the partner's budget row for the day exists (once per batch, not per item)."""
    await BudgetDay.bulk_create(
        [BudgetDay(platform_id=platform.id, day=day, budget=platform.daily_budget_grams)],
        ignore_conflicts=True,
    )


async def spend_budget(
    conn: BaseDBAsyncClient, platform: PartnerPlatform, day: date, grams: int
) -> None:
    """Take `grams` from the day's budget inside the caller's transaction, or refuse.

    The day's row must exist (`open_budget_day`). The guard is in the UPDATE itself, so
    concurrent batches cannot overspend.
    """
    spent = await (
        BudgetDay.filter(platform_id=platform.id, day=day, used__lte=F("budget") - grams)
        .using_db(conn)
        .update(used=F("used") + grams)
    )
    if spent == 0:
        raise PartnerBudgetExhausted(
            f"{grams} g would pass the partner's budget of {platform.daily_budget_grams} g "
            f"for {day.isoformat()}",
            budget=platform.daily_budget_grams,
        )


async def show_budget_use(platform: PartnerPlatform, day: date) -> None:
    """Put the share of the day's budget used in the metrics (after a batch, not per item).

    Runs after items committed, so a failure is logged, never raised.
    """
    try:
        row = await BudgetDay.get_or_none(platform_id=platform.id, day=day)
    except Exception as exc:
        log.warning("partner budget gauge not updated", partner=platform.id, error=repr(exc))
        return
    if row is not None and row.budget > 0:
        metrics.BUDGET_USED.labels(str(platform.id)).set(row.used / row.budget)
