"""A player's standing in a campaign: progress, their team's or region's total, their rewards."""

from __future__ import annotations

from dataclasses import dataclass

from core.users import User
from game.campaigns.lifecycle.audiences import in_audience
from game.campaigns.lifecycle.goals import Goal, goal_of
from game.campaigns.lifecycle.models import Campaign, GoalKind, GoalScope
from game.campaigns.lifecycle.viewing import visible_campaign
from game.campaigns.progress.models import GroupTotal, Participant
from game.campaigns.teams.membership import current_team
from game.rewards.grants import MyReward
from game.rewards.models import Grant, Voucher


@dataclass(frozen=True)
class Standing:
    """Where a player stands in a campaign."""

    campaign: Campaign
    goal: Goal
    in_audience: bool
    participant: Participant | None
    group: GroupTotal | None
    rewards: list[MyReward]


async def campaign_standing(viewer: User, campaign_id: int) -> Standing:
    """The viewer's progress in a campaign they may see."""
    campaign = await visible_campaign(viewer, campaign_id)
    goal = goal_of(campaign)
    member = await in_audience(None, campaign, viewer.id, viewer.region)
    participant = await Participant.get_or_none(campaign_id=campaign_id, user_id=viewer.id)
    group = None
    if goal.scope == GoalScope.REGION:
        region = participant.region if participant else viewer.region
        group = await GroupTotal.get_or_none(campaign_id=campaign_id, kind="region", key=region)
    elif goal.kind != GoalKind.STREAK:
        team_id = await current_team(None, viewer.id)
        if team_id is not None:
            group = await GroupTotal.get_or_none(
                campaign_id=campaign_id, kind="team", key=str(team_id)
            )
    grants = list(await Grant.filter(campaign_id=campaign_id, user_id=viewer.id).order_by("id"))
    vouchers = {v.grant_id: v for v in await Voucher.filter(grant_id__in=[g.id for g in grants])}
    rewards = [MyReward(g, vouchers.get(g.id)) for g in grants]
    return Standing(campaign, goal, member, participant, group, rewards)
