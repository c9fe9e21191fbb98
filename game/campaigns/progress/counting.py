"""What a moment adds to a campaign, and which campaigns a moment matters to.

A moment is something that already happens in the product: an action credited, energy
gathered, a check-in posted. It counts for a campaign that is published, not paused, whose
window holds the moment's time, and whose goal's triggers name it (docs/rules.md#goals).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Literal

from tortoise.backends.base.client import BaseDBAsyncClient

from game.campaigns.lifecycle.goals import ANY, Goal
from game.campaigns.lifecycle.models import Campaign, GoalKind, Stage

Source = Literal["action", "energy", "checkin"]
# What counting reads of a campaign: a partial row, since every moment reads many campaigns
# (see docs/benchmarks.md: parsing the other columns cost a third of the time).
COUNTING_FIELDS = (
    "id", "name", "starts_at", "ends_at", "settled_at", "audience_kind", "audience_regions",
    "segment_id", "goal_kind", "goal_scope", "goal_target", "goal_filter",
)  # fmt: skip


@dataclass(frozen=True)
class Moment:
    """Something that happened to a player, named by a source key unique to it."""

    source: Source
    source_id: int
    key: str
    user_id: int
    occurred_at: datetime
    grams: int = 0
    quantity: Decimal = Decimal(0)
    local_date: date | None = None

    @property
    def source_key(self) -> str:
        """The contribution's `source`, e.g. action:17: each moment counts once per campaign."""
        return f"{self.source}:{self.source_id}"


def amount_for(goal: Goal, moment: Moment) -> int:
    """What the moment adds to the goal (0: it does not count)."""
    if goal.kind == GoalKind.COUNT:
        return 1 if moment.quantity >= goal.min_quantity else 0
    if goal.kind == GoalKind.STREAK:
        return 1 if moment.quantity >= goal.min_quantity and moment.local_date else 0
    if goal.kind in (GoalKind.GRAMS, GoalKind.ENERGY):
        return max(0, moment.grams)
    return 1


async def matching_campaigns(conn: BaseDBAsyncClient, moment: Moment) -> list[Campaign]:
    """Published, running campaigns whose window holds the moment and whose goal counts it."""
    if not await _any_matching(conn, moment):
        return []
    rows = await (
        Campaign.filter(
            stage=Stage.PUBLISHED,
            paused=False,
            starts_at__lte=moment.occurred_at,
            ends_at__gt=moment.occurred_at,
            triggers__source=moment.source,
            triggers__key__in=[moment.key, ANY],
        )
        .using_db(conn)
        .order_by("id")
        .only(*COUNTING_FIELDS)
    )
    unique: dict[int, Campaign] = {}
    for campaign in rows:
        unique.setdefault(campaign.id, campaign)
    return list(unique.values())


async def _any_matching(conn: BaseDBAsyncClient, moment: Moment) -> bool:
    """Whether any campaign counts the moment: the same filter as a plain indexed query.

    Every collect and steal asks; on most of them no campaign counts, and building the ORM
    query cost more than the database answering it (docs/benchmarks.md#the-0700-peak).
    """
    postgres = conn.capabilities.dialect == "postgres"
    marks = [f"${i}" for i in range(1, 8)] if postgres else ["?"] * 7
    sql = (  # noqa: S608  (only placeholders are formatted in)
        "SELECT 1 AS found FROM campaign_triggers t JOIN campaigns c ON c.id = t.campaign_id"
        " WHERE t.source = {} AND t.key IN ({}, {}) AND c.stage = {} AND c.paused = {}"
        " AND c.starts_at <= {} AND c.ends_at > {} LIMIT 1"
    ).format(*marks)
    at = moment.occurred_at
    values = [moment.source, moment.key, ANY, Stage.PUBLISHED.value, False, at, at]
    return bool(await conn.execute_query_dict(sql, values))


def longest_run(days: Iterable[date]) -> int:
    """The longest run of consecutive days."""
    best = run = 0
    previous: date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best, previous = max(best, run), day
    return best
