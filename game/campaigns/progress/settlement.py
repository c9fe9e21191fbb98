"""Settlement: a campaign ends, late reports get their grace, then the worker makes it final.
(The same job also announces starts: game/campaigns/lifecycle/announcing.py.)

The job first rewards the members of teams and regions that reached their goal, then settles
every campaign whose grace after the end has passed and whose group rewards are all paid: it
writes the final figures and the settled state in one guarded UPDATE, so running it twice (or
in two workers at once) settles each campaign once. A settled campaign counts nothing more and
takes no change. See docs/rules.md#lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from core.clock import Clock
from core.db import in_transaction, run_after_commit
from core.events import EventSink
from game.campaigns.lifecycle.announcing import Announcing, announce_started_campaigns
from game.campaigns.lifecycle.models import Campaign, Stage
from game.campaigns.progress.boards import CampaignBoards, expire_campaign_boards
from game.campaigns.progress.completion import reward_groups
from game.campaigns.progress.models import GroupTotal
from game.campaigns.progress.stats import campaign_totals


@dataclass(frozen=True)
class JobRun:
    """What one run of the campaigns job did."""

    members_rewarded: int
    settled: list[int]
    players_told_of_starts: int = 0


async def settle_campaigns(
    clock: Clock, boards: CampaignBoards | None, settle_after: timedelta
) -> list[int]:
    """Settle the campaigns due; returns their ids."""
    now = clock.now()
    due = await Campaign.filter(stage=Stage.PUBLISHED, ends_at__lte=now - settle_after).order_by(
        "id"
    )
    settled = []
    for campaign in due:
        waiting = GroupTotal.filter(
            campaign_id=campaign.id, completed_at__isnull=False, rewards_done=False
        )
        if await waiting.exists():
            continue  # members still to reward: settle on a later run
        async with in_transaction() as conn:
            totals = await campaign_totals(campaign.id, conn)
            done = await (
                Campaign.filter(id=campaign.id, stage=Stage.PUBLISHED)
                .using_db(conn)
                .update(stage=Stage.SETTLED, settled_at=now, result=totals.as_json())
            )
            if done and boards is not None:
                campaign.settled_at = now
                await run_after_commit(partial(expire_campaign_boards, boards, campaign, now))
        if done:
            settled.append(campaign.id)
    return settled


async def run_campaign_jobs(
    clock: Clock,
    events: EventSink,
    boards: CampaignBoards | None,
    settle_after: timedelta,
    announcing: Announcing,
) -> JobRun:
    """The worker's campaigns job: announce starts, reward complete teams and regions, settle."""
    told = await announce_started_campaigns(clock, events, announcing)
    rewarded = await reward_groups(clock, events)
    return JobRun(rewarded, await settle_campaigns(clock, boards, settle_after), told)
