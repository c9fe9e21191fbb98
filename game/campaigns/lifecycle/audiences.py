"""Audiences: who a campaign is for, and which campaigns a player sees (docs/rules.md#audiences).

| kind | who | takes part |
| --- | --- | --- |
| `everyone` | every player | from their first counted moment, or by joining |
| `regions` | players whose region is listed | the same |
| `invited` | the listed players | the same |
| `segment` | the players of a saved segment, as of the campaign's start | the same |
| `joined` | every player may join | only after joining |
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from core.errors import Forbidden, Invalid
from core.users import Role, User
from game.campaigns.lifecycle.models import AudienceKind, Campaign, CampaignInvite, Segment
from game.campaigns.lifecycle.segments import get_segment, in_segment

MAX_REGIONS = 50
MAX_INVITED = 10_000


class InvalidAudience(Invalid):
    """The audience does not fit its kind (regions for `regions`, players for `invited`, a
    segment for `segment`, nothing else)."""

    code = "invalid-audience"
    title = "This audience cannot be set"


class NotInAudience(Forbidden):
    """The campaign is not for this player."""

    code = "not-in-campaign-audience"
    title = "This campaign is not for you"


@dataclass(frozen=True)
class Audience:
    """A campaign's audience as a manager gives it."""

    kind: AudienceKind
    regions: tuple[str, ...] = ()
    user_ids: tuple[int, ...] = ()
    segment_id: int | None = None


async def checked_audience(audience: Audience) -> Audience:
    """The audience if it fits its kind, lists sorted and deduplicated, invitees existing."""
    kind = audience.kind
    regions = tuple(sorted(set(audience.regions)))
    user_ids = tuple(sorted(set(audience.user_ids)))
    if (kind == AudienceKind.REGIONS) != bool(regions) or len(regions) > MAX_REGIONS:
        raise InvalidAudience(f"`regions` lists 1 to {MAX_REGIONS} regions, for that kind only")
    if (kind == AudienceKind.INVITED) != bool(user_ids) or len(user_ids) > MAX_INVITED:
        raise InvalidAudience(f"`user_ids` lists 1 to {MAX_INVITED:,} players, for that kind only")
    if (kind == AudienceKind.SEGMENT) != (audience.segment_id is not None):
        raise InvalidAudience("`segment_id` names the segment of a `segment` audience only")
    if audience.segment_id is not None:
        await get_segment(audience.segment_id)
    if user_ids:
        found = await User.filter(id__in=list(user_ids), role=Role.PLAYER).count()
        if found != len(user_ids):
            raise InvalidAudience(
                "every invited id must be a player's", missing=len(user_ids) - found
            )
    return Audience(kind, regions, user_ids, audience.segment_id)


def auto_enrols(campaign: Campaign) -> bool:
    """Whether players in the audience take part without joining."""
    return campaign.audience_kind != AudienceKind.JOINED


async def in_audience(
    conn: BaseDBAsyncClient | None,
    campaign: Campaign,
    user_id: int,
    region: str,
    segments: dict[int, Segment] | None = None,
) -> bool:
    """Whether the campaign is for this player."""
    kind = campaign.audience_kind
    if kind in (AudienceKind.EVERYONE, AudienceKind.JOINED):
        return True
    if kind == AudienceKind.REGIONS:
        return bool(region) and region in campaign.audience_regions
    if kind == AudienceKind.INVITED:
        invited = CampaignInvite.filter(campaign_id=campaign.id, user_id=user_id)
        return bool(await invited.using_db(conn).exists())
    if campaign.segment_id is None:
        return False
    segment = (segments or {}).get(campaign.segment_id)
    if segment is None:
        segment = await Segment.filter(id=campaign.segment_id).using_db(conn).first()
    if segment is None:
        return False
    return await in_segment(conn, segment, user_id, region, campaign.starts_at)


async def require_audience(campaign: Campaign, user: User) -> None:
    """Refuse with NotInAudience unless the campaign is for this player."""
    if not await in_audience(None, campaign, user.id, user.region):
        raise NotInAudience()
