"""What a campaign manager watches: participants, completions, grams avoided and budget, over time.

Figures come from the database in a few aggregate queries per request (no counter row that
every moment would have to lock). Buckets are hours or days counted from the campaign's start,
so a day bucket is a day of the campaign's own calendar (give or take a daylight-saving shift).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from core.errors import Invalid
from core.users import User
from game.campaigns.lifecycle.models import Campaign
from game.campaigns.lifecycle.prizes import rewards_of
from game.campaigns.lifecycle.states import settles_at
from game.campaigns.lifecycle.viewing import visible_campaign
from game.rewards.models import BudgetPool

Step = Literal["hour", "day"]
STEP_SECONDS = {"hour": 3_600, "day": 86_400}
MAX_BUCKETS = 2_000


class TooManyBuckets(Invalid):
    """The series would be too long at this step: ask for days."""

    code = "too-many-buckets"
    title = "Too many buckets at this step"


@dataclass
class Bucket:
    """One hour or day of a campaign."""

    start: datetime
    new_participants: int = 0
    active_players: int = 0
    completions: int = 0
    progress: int = 0
    grams_avoided: int = 0
    spent: int = 0
    rewards_granted: int = 0
    rewards_not_paid: int = 0


@dataclass
class Totals:
    """A campaign's figures so far."""

    participants: int = 0
    joined: int = 0
    completions: int = 0
    progress: int = 0
    grams_avoided: int = 0
    spent: int = 0
    rewards_granted: int = 0
    rewards_not_paid: int = 0

    def as_json(self) -> dict[str, int]:
        """The figures as stored in a settled campaign's result."""
        return dict(self.__dict__)


@dataclass(frozen=True)
class PoolUse:
    """A pool the campaign's rewards draw on: its state, and what this campaign spent."""

    pool: BudgetPool
    spent_here: int


@dataclass
class CampaignStats:
    """Totals, pools, and the series of buckets up to now (or the settlement)."""

    campaign: Campaign
    step: Step
    totals: Totals
    pools: list[PoolUse]
    buckets: list[Bucket] = field(default_factory=list)


def _epoch(postgres: bool, column: str) -> str:
    # Same extraction as game/leaderboards/totals.py: epoch seconds in each dialect.
    if postgres:
        return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"
    return f"CAST(strftime('%s', {column}) AS INTEGER)"


async def _rows(conn: BaseDBAsyncClient, sql: str, campaign_id: int) -> list[tuple[Any, ...]]:
    postgres = conn.capabilities.dialect == "postgres"
    _, rows = await conn.execute_query(sql.replace("?", "$1" if postgres else "?"), [campaign_id])
    return [tuple(r) for r in rows]


async def campaign_totals(campaign_id: int, conn: BaseDBAsyncClient | None = None) -> Totals:
    """A campaign's totals, from its participants, contributions and grants."""
    conn = conn or connections.get("default")
    people = await _rows(conn, """
        SELECT COUNT(*), SUM(CASE WHEN joined THEN 1 ELSE 0 END),
               SUM(CASE WHEN completed_at IS NOT NULL THEN 1 ELSE 0 END)
        FROM campaign_participants WHERE campaign_id = ?""", campaign_id)  # fmt: skip
    moved = await _rows(conn, """
        SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(grams), 0)
        FROM campaign_contributions WHERE campaign_id = ?""", campaign_id)  # fmt: skip
    paid = await _rows(conn, """
        SELECT COALESCE(SUM(cost), 0), SUM(CASE WHEN outcome = 'granted' THEN 1 ELSE 0 END),
               SUM(CASE WHEN outcome <> 'granted' THEN 1 ELSE 0 END)
        FROM reward_grants WHERE campaign_id = ?""", campaign_id)  # fmt: skip
    (n, joined, done), (progress, grams), (spent, granted, unpaid) = people[0], moved[0], paid[0]
    return Totals(
        participants=int(n or 0), joined=int(joined or 0), completions=int(done or 0),
        progress=int(progress), grams_avoided=int(grams), spent=int(spent or 0),
        rewards_granted=int(granted or 0), rewards_not_paid=int(unpaid or 0),
    )  # fmt: skip


async def _series(
    conn: BaseDBAsyncClient, campaign: Campaign, step: int, count: int
) -> list[Bucket]:
    postgres = conn.capabilities.dialect == "postgres"
    origin = math.floor(campaign.starts_at.timestamp())

    def bucket(column: str) -> str:
        # Integers computed here, never text from a request, so they are written inline.
        return f"(({_epoch(postgres, column)} - {origin}) / {step})"

    buckets = [Bucket(campaign.starts_at + timedelta(seconds=i * step)) for i in range(count)]
    queries: list[tuple[str, tuple[str, ...]]] = [
        (f"SELECT {bucket('enrolled_at')} AS b, COUNT(*) FROM campaign_participants "  # noqa: S608
         "WHERE campaign_id = ? GROUP BY b", ("new_participants",)),
        (f"SELECT {bucket('completed_at')} AS b, COUNT(*) FROM campaign_participants "  # noqa: S608
         "WHERE campaign_id = ? AND completed_at IS NOT NULL GROUP BY b", ("completions",)),
        (f"SELECT {bucket('created_at')} AS b, COUNT(DISTINCT user_id), SUM(amount), "  # noqa: S608
         "SUM(grams) FROM campaign_contributions WHERE campaign_id = ? GROUP BY b",
         ("active_players", "progress", "grams_avoided")),
        (f"SELECT {bucket('created_at')} AS b, SUM(cost), "  # noqa: S608
         "SUM(CASE WHEN outcome = 'granted' THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN outcome <> 'granted' THEN 1 ELSE 0 END) FROM reward_grants "
         "WHERE campaign_id = ? GROUP BY b", ("spent", "rewards_granted", "rewards_not_paid")),
    ]  # fmt: skip
    for sql, names in queries:
        for row in await _rows(conn, sql, campaign.id):
            index = int(row[0])
            if 0 <= index < count:
                for name, value in zip(names, row[1:], strict=True):
                    setattr(buckets[index], name, int(value or 0))
    return buckets


async def campaign_stats(
    viewer: User, campaign_id: int, step: Step, now: datetime, settle_after: timedelta
) -> CampaignStats:
    """A campaign's totals, its pools, and its series from the start to now (or settlement)."""
    campaign = await visible_campaign(viewer, campaign_id)
    conn = connections.get("default")
    seconds = STEP_SECONDS[step]
    until = min(now, settles_at(campaign, settle_after))
    count = max(0, math.ceil((until - campaign.starts_at).total_seconds() / seconds))
    if count > MAX_BUCKETS:
        raise TooManyBuckets(
            f"at most {MAX_BUCKETS} buckets: ask for days", max_buckets=MAX_BUCKETS
        )
    pool_ids = sorted({r.pool_id for r in await rewards_of(campaign.id) if r.pool_id is not None})
    spent = await _rows(conn, """
        SELECT pool_id, COALESCE(SUM(cost), 0) FROM reward_grants
        WHERE campaign_id = ? AND pool_id IS NOT NULL GROUP BY pool_id""", campaign.id)  # fmt: skip
    spent_by_pool = {int(p): int(s) for p, s in spent}
    pools = [
        PoolUse(p, spent_by_pool.get(p.id, 0))
        for p in await BudgetPool.filter(id__in=sorted({*pool_ids, *spent_by_pool})).order_by("id")
    ]
    return CampaignStats(
        campaign=campaign, step=step, totals=await campaign_totals(campaign.id, conn),
        pools=pools, buckets=await _series(conn, campaign, seconds, count),
    )  # fmt: skip
