"""Response shapes of progress, campaign boards and statistics."""

from __future__ import annotations

from datetime import datetime

import msgspec

from core.paging import encode_cursor
from game.campaigns.lifecycle.states import campaign_state
from game.campaigns.progress.ranking import CampaignBoard
from game.campaigns.progress.standing import Standing
from game.campaigns.progress.stats import CampaignStats
from game.rewards.schemas import RewardOut, reward_out


class GroupOut(msgspec.Struct):
    """My team's or region's total in the campaign."""

    kind: str
    key: str
    total: int
    completed_at: datetime | None


class ProgressOut(msgspec.Struct):
    """Where I stand in a campaign: progress toward the target, my group, my rewards."""

    campaign_id: int
    state: str
    paused: bool
    in_audience: bool
    taking_part: bool
    joined: bool
    enrolled_at: datetime | None
    goal: str
    scope: str
    progress: int
    target: int
    completed_at: datetime | None
    group: GroupOut | None
    rewards: list[RewardOut]


def progress_out(standing: Standing, now: datetime) -> ProgressOut:
    """Show a standing."""
    p, g = standing.participant, standing.group
    return ProgressOut(
        campaign_id=standing.campaign.id, state=campaign_state(standing.campaign, now),
        paused=standing.campaign.paused, in_audience=standing.in_audience,
        taking_part=p is not None, joined=bool(p and p.joined),
        enrolled_at=p.enrolled_at if p else None, goal=str(standing.goal.kind),
        scope=str(standing.goal.scope), progress=int(p.progress) if p else 0,
        target=standing.goal.target, completed_at=p.completed_at if p else None,
        group=GroupOut(g.kind, g.key, int(g.total), g.completed_at) if g else None,
        rewards=[reward_out(r, now) for r in standing.rewards],
    )  # fmt: skip


class BoardRowOut(msgspec.Struct):
    """A place on a campaign board: a player, a team or a region."""

    rank: int
    id: str
    name: str
    score: int


class BoardMeOut(msgspec.Struct):
    """My place (or my team's, or my region's): rank null when not on the board."""

    id: str
    rank: int | None
    score: int


class CampaignBoardOut(msgspec.Struct):
    """A page of a campaign board."""

    campaign_id: int
    board: str
    entries: list[BoardRowOut]
    me: BoardMeOut | None
    next_cursor: str | None


def campaign_board_out(shown: CampaignBoard) -> CampaignBoardOut:
    """Show a campaign board."""
    page = shown.page
    entries = [
        BoardRowOut(s.rank, s.member, shown.names.get(s.member, s.member), s.score)
        for s in page.entries
    ]
    mine = None
    if page.me is not None:
        mine = BoardMeOut(page.me.member, page.me.rank, page.me.score)
    elif shown.me:
        mine = BoardMeOut(shown.me, None, 0)
    return CampaignBoardOut(
        shown.campaign.id, shown.which, entries, mine, encode_cursor(page.next_offset)
    )


class TotalsOut(msgspec.Struct):
    """A campaign's figures so far."""

    participants: int
    joined: int
    completions: int
    progress: int
    grams_avoided: int
    spent: int
    rewards_granted: int
    rewards_not_paid: int


class PoolUseOut(msgspec.Struct):
    """A pool the campaign draws on: its total, spent, remaining, and this campaign's share."""

    pool_id: int
    name: str
    unit: str
    unit_cost: int
    total: int
    spent: int
    remaining: int
    spent_by_campaign: int
    status: str


class BucketOut(msgspec.Struct):
    """One hour or day of the campaign."""

    start: datetime
    new_participants: int
    active_players: int
    completions: int
    progress: int
    grams_avoided: int
    spent: int
    rewards_granted: int
    rewards_not_paid: int


class StatsOut(msgspec.Struct):
    """A campaign's totals, its pools, and a series for a chart."""

    campaign_id: int
    state: str
    step: str
    totals: TotalsOut
    pools: list[PoolUseOut]
    series: list[BucketOut]


def stats_out(stats: CampaignStats, now: datetime) -> StatsOut:
    """Show campaign statistics."""
    t = stats.totals
    return StatsOut(
        campaign_id=stats.campaign.id, state=campaign_state(stats.campaign, now), step=stats.step,
        totals=TotalsOut(
            t.participants, t.joined, t.completions, t.progress, t.grams_avoided, t.spent,
            t.rewards_granted, t.rewards_not_paid,
        ),
        pools=[
            PoolUseOut(
                u.pool.id, u.pool.name, str(u.pool.unit), u.pool.unit_cost, u.pool.total,
                u.pool.spent, u.pool.remaining, u.spent_here, str(u.pool.status),
            )
            for u in stats.pools
        ],
        series=[msgspec.convert(b, BucketOut, from_attributes=True) for b in stats.buckets],
    )  # fmt: skip
