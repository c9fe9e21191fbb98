"""Completing a goal: the rewards a completion pays, and rewarding teams and regions.

A player who reaches an individual goal is rewarded in the same transaction as the moment that
completed it. A team or region that reaches a cooperative goal is marked complete in that
transaction; the worker then rewards each of its members in a transaction of their own (a
region can be large, and one player's request must not lock thousands of accounts). Every
grant has its unique key, so the job is safe to run twice, or in two workers at once.
See docs/rules.md#rewards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from core.clock import Clock
from core.db import in_transaction
from core.events import EventSink
from game.campaigns.lifecycle.goals import goal_of
from game.campaigns.lifecycle.models import Campaign, CampaignReward
from game.campaigns.lifecycle.prizes import rewards_of, spec_of
from game.campaigns.progress.enrolment import enrol
from game.campaigns.progress.models import GroupTotal, Participant
from game.campaigns.teams.membership import members_at
from game.energy.ledger import lock_account
from game.rewards.grants import GrantRequest, MedalRef, grant_reward

MEMBERS_PER_PASS = 200
GROUPS_PER_PASS = 50


def grant_key(campaign_id: int, reward_id: int, user_id: int) -> str:
    """The key that makes a campaign reward happen once per player."""
    return f"campaign:{campaign_id}:reward:{reward_id}:user:{user_id}"


async def grant_in_pool_order(
    conn: Any,
    clock: Clock,
    events: EventSink,
    user_id: int,
    items: Sequence[tuple[Campaign, CampaignReward]],
) -> dict[int, list[dict[str, Any]]]:
    """Grant these rewards to one player, in ascending pool id (every transaction locks pools
    in that one order, so none waits on another in a circle); outcomes by campaign."""
    ordered = sorted(items, key=lambda i: (i[1].pool_id or 0, i[0].id, i[1].position))
    outcomes: dict[int, list[dict[str, Any]]] = {c.id: [] for c, _ in items}
    for campaign, reward in ordered:
        medal = None
        if reward.kind == "medal":
            medal = MedalRef(code=f"campaign:{campaign.id}:{reward.id}", name=reward.medal_name)
        request = GrantRequest(
            key=grant_key(campaign.id, reward.id, user_id), user_id=user_id, source="campaign",
            spec=spec_of(reward), campaign_id=campaign.id, reward_id=reward.id, medal=medal,
            reason=campaign.name,
        )  # fmt: skip
        granted = await grant_reward(conn, clock, events, request)
        outcomes[campaign.id].append(
            {"reward_id": reward.id, "kind": reward.kind, "outcome": granted.grant.outcome,
             "grant_id": granted.grant.id}
        )  # fmt: skip
    for found in outcomes.values():
        found.sort(key=lambda o: int(o["reward_id"]))
    return outcomes


async def _members(campaign: Campaign, group: GroupTotal) -> list[int]:
    """The next members of a complete group to reward, by user id."""
    if group.completed_at is None:
        return []
    if group.kind == "team":
        return await members_at(
            int(group.key), group.completed_at, group.rewarded_through, MEMBERS_PER_PASS
        )
    rows = await (
        Participant.filter(
            campaign_id=campaign.id,
            region=group.key,
            enrolled_at__lte=group.completed_at,
            user_id__gt=group.rewarded_through,
        )
        .order_by("user_id")
        .limit(MEMBERS_PER_PASS)
        .values_list("user_id", flat=True)
    )
    return [int(u) for u in cast(list[int], rows)]


async def _reward_member(
    clock: Clock,
    events: EventSink,
    campaign: Campaign,
    group: GroupTotal,
    rewards: list[CampaignReward],
    user_id: int,
) -> bool:
    """Reward one member of a complete group; False when they do not take part."""
    async with in_transaction() as conn:
        await lock_account(conn, user_id)
        participant = (await enrol(conn, [campaign], user_id, clock.now())).get(campaign.id)
        if participant is None:
            return False
        newly = await (
            Participant.filter(id=participant.id, completed_at__isnull=True)
            .using_db(conn)
            .update(completed_at=group.completed_at)
        )
        outcomes = await grant_in_pool_order(
            conn, clock, events, user_id, [(campaign, r) for r in rewards]
        )
        if newly:
            goal = goal_of(campaign)
            await events.publish(
                conn, user_id, "campaign.completed",
                {"campaign_id": campaign.id, "scope": str(goal.scope), "progress": group.total,
                 "target": goal.target, "group": {"kind": group.kind, "key": group.key},
                 "rewards": outcomes[campaign.id]},
            )  # fmt: skip
    return True


async def reward_groups(clock: Clock, events: EventSink) -> int:
    """Reward the members of teams and regions that reached their goal; returns how many."""
    rewarded = 0
    groups = await (
        GroupTotal.filter(completed_at__isnull=False, rewards_done=False)
        .order_by("id")
        .limit(GROUPS_PER_PASS)
    )
    for group in groups:
        campaign = await Campaign.get(id=group.campaign_id)
        rewards = await rewards_of(campaign.id)
        while members := await _members(campaign, group):
            for user_id in members:
                rewarded += await _reward_member(clock, events, campaign, group, rewards, user_id)
            group.rewarded_through = members[-1]
            await GroupTotal.filter(id=group.id).update(rewarded_through=members[-1])
        await GroupTotal.filter(id=group.id).update(rewards_done=True)
    return rewarded
