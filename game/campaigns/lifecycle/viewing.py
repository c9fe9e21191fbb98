"""Who sees which campaign: managers see all, players those whose audience includes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from core.clock import Clock
from core.users import Role, User
from game.campaigns.lifecycle.audiences import NotInAudience, in_audience
from game.campaigns.lifecycle.models import (
    AudienceKind,
    Campaign,
    CampaignInvite,
    CampaignReward,
    Segment,
    Stage,
)
from game.campaigns.lifecycle.prizes import rewards_of
from game.campaigns.lifecycle.states import CampaignNotFound, CampaignState, campaign_state

STAFF = frozenset({Role.CAMPAIGN_MANAGER, Role.ADMIN})
# A player's list scans at most this many campaigns per page for ones meant for them.
SCAN_LIMIT = 1_000


@dataclass(frozen=True)
class CampaignView:
    """A campaign with its rewards, its state now, and how many players are invited."""

    campaign: Campaign
    rewards: list[CampaignReward]
    state: CampaignState
    invited: int


def is_staff(user: User) -> bool:
    """Campaign managers and admins see and change every campaign."""
    return user.role in STAFF


async def view_of(campaign: Campaign, now: datetime) -> CampaignView:
    """A campaign shown with its rewards and state."""
    invited = 0
    if campaign.audience_kind == AudienceKind.INVITED:
        invited = await CampaignInvite.filter(campaign_id=campaign.id).count()
    return CampaignView(
        campaign, await rewards_of(campaign.id), campaign_state(campaign, now), invited
    )


async def visible_campaign(viewer: User, campaign_id: int) -> Campaign:
    """A campaign the viewer may see: any for staff; for a player, a published one meant for
    them (a draft is not found; one for others answers NotInAudience)."""
    campaign = await Campaign.get_or_none(id=campaign_id)
    if campaign is None:
        raise CampaignNotFound(f"no campaign {campaign_id}")
    if is_staff(viewer):
        return campaign
    if campaign.stage == Stage.DRAFT:
        raise CampaignNotFound(f"no campaign {campaign_id}")
    if not await in_audience(None, campaign, viewer.id, viewer.region):
        raise NotInAudience()
    return campaign


async def campaign_for(clock: Clock, viewer: User, campaign_id: int) -> CampaignView:
    """A campaign the viewer may see, with its rewards and state."""
    return await view_of(await visible_campaign(viewer, campaign_id), clock.now())


def _state_filter(state: CampaignState, now: datetime) -> Q:
    if state == "draft":
        return Q(stage=Stage.DRAFT)
    if state == "settled":
        return Q(stage=Stage.SETTLED)
    published = Q(stage=Stage.PUBLISHED)
    if state == "scheduled":
        return published & Q(starts_at__gt=now)
    if state == "live":
        return published & Q(starts_at__lte=now, ends_at__gt=now)
    return published & Q(ends_at__lte=now)


async def campaigns_for(
    clock: Clock, viewer: User, state: CampaignState | None, before_id: int | None, limit: int
) -> tuple[list[CampaignView], int | None]:
    """Campaigns the viewer may see, newest first, and the cursor of the next page."""
    now = clock.now()
    query = Campaign.all()
    if state is not None:
        query = query.filter(_state_filter(state, now))
    if not is_staff(viewer):
        query = query.exclude(stage=Stage.DRAFT)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    if is_staff(viewer):
        rows = list(await query.order_by("-id").limit(limit + 1))
        page = rows[:limit]
        views = [await view_of(c, now) for c in page]
        return views, (page[-1].id if len(rows) > limit else None)
    shown: list[Campaign] = []
    scanned = list(await query.order_by("-id").limit(SCAN_LIMIT))
    segments = {s.id: s for s in await Segment.filter(campaigns__id__in=[c.id for c in scanned])}
    last, stopped_early = None, False
    for i, campaign in enumerate(scanned):
        last = campaign.id
        if await in_audience(None, campaign, viewer.id, viewer.region, segments):
            shown.append(campaign)
        if len(shown) == limit:
            stopped_early = i < len(scanned) - 1
            break
    more = stopped_early or len(scanned) == SCAN_LIMIT
    return [await view_of(c, now) for c in shown], (last if more else None)
