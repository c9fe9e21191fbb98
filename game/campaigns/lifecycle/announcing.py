"""Announcing a campaign's start: a `campaign.started` event (and so a notification) to each
player it is for, sent by the worker in batches (docs/rules.md#announcing).

Who is told: the invited players of an `invited` campaign; for `everyone`, `joined` and
`regions`, the players (of the regions) seen within `GREENSPARK_CAMPAIGN_ANNOUNCE_ACTIVE_DAYS`,
so a start does not wake every dormant account; for `segment`, those of them in the segment.
Each batch is one transaction that records the events and moves the campaign's
`announced_through` (the last player id told) with a guard on its old value, so two workers
never tell anyone twice and a crash resumes after the last committed batch. A campaign paused
at its start waits; one that ended before it was announced is marked done without telling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.clock import Clock
from core.db import in_transaction
from core.events import EventSink
from core.users import Role, User
from game.campaigns.lifecycle.models import AudienceKind, Campaign, CampaignInvite, Segment, Stage
from game.campaigns.lifecycle.segments import in_segment


@dataclass(frozen=True)
class Announcing:
    """How a start is announced: who counts as active, and how many players per transaction."""

    active_within: timedelta
    batch: int


async def _candidates(
    campaign: Campaign, rules: Announcing, now: datetime
) -> list[tuple[int, str]]:
    """The next batch of (player id, region) after `announced_through` the audience may hold."""
    after = campaign.announced_through
    if campaign.audience_kind == AudienceKind.INVITED:
        invited = CampaignInvite.filter(campaign_id=campaign.id, user_id__gt=after)
        rows = await invited.order_by("user_id").limit(rules.batch).values("user_id")
        return [(row["user_id"], "") for row in rows]
    seen_since = now - rules.active_within
    players = User.filter(role=Role.PLAYER, id__gt=after, last_seen_at__gte=seen_since)
    if campaign.audience_kind == AudienceKind.REGIONS:
        players = players.filter(region__in=campaign.audience_regions)
    rows = await players.order_by("id").limit(rules.batch).values("id", "region")
    return [(row["id"], row["region"]) for row in rows]


async def _audience_of(campaign: Campaign, candidates: list[tuple[int, str]]) -> list[int]:
    """The candidates the campaign is for (a segment narrows them further)."""
    if campaign.audience_kind != AudienceKind.SEGMENT:
        return [user_id for user_id, _ in candidates]
    segment = await Segment.filter(id=campaign.segment_id).first()
    if segment is None:
        return []
    return [
        user_id
        for user_id, region in candidates
        if await in_segment(None, segment, user_id, region, campaign.starts_at)
    ]


async def announce_started_campaigns(clock: Clock, events: EventSink, rules: Announcing) -> int:
    """Tell one more batch of each live campaign's audience that it started; returns how many."""
    now = clock.now()
    due = Campaign.filter(
        stage=Stage.PUBLISHED, announced_at__isnull=True, starts_at__lte=now, paused=False
    )
    told = 0
    for campaign in await due.order_by("id"):
        if campaign.ends_at <= now:
            late = Campaign.filter(id=campaign.id, announced_at__isnull=True)
            await late.update(announced_at=now)
            continue
        told += await _announce_batch(campaign, rules, now, events)
    return told


async def _announce_batch(
    campaign: Campaign, rules: Announcing, now: datetime, events: EventSink
) -> int:
    """Send one batch in one transaction, guarded on the campaign's `announced_through`."""
    before = campaign.announced_through
    candidates = await _candidates(campaign, rules, now)
    told = await _audience_of(campaign, candidates)
    through = candidates[-1][0] if candidates else before
    finished = len(candidates) < rules.batch
    data = {
        "campaign_id": campaign.id,
        "name": campaign.name,
        "starts_at": campaign.starts_at.isoformat(),
        "ends_at": campaign.ends_at.isoformat(),
    }
    async with in_transaction() as conn:
        mine = Campaign.filter(id=campaign.id, announced_through=before, announced_at__isnull=True)
        moved = await mine.using_db(conn).update(
            announced_through=through, announced_at=now if finished else None
        )
        if not moved:
            return 0  # another worker sent this batch
        for user_id in told:
            await events.publish(conn, user_id, "campaign.started", data)
    return len(told)
