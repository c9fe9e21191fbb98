"""Taking part: joining a campaign, or being enrolled by one's first counted moment.

Players in a campaign's audience take part from their first moment that counts (or by joining);
in a `joined` audience only those who joined take part (docs/rules.md#audiences). Joining is
possible while the campaign is live, for players in its audience, and at most once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.db import in_transaction
from core.users import User
from game.campaigns.lifecycle.audiences import auto_enrols, in_audience, require_audience
from game.campaigns.lifecycle.models import Campaign, Stage
from game.campaigns.lifecycle.states import CampaignNotFound, require_open
from game.campaigns.progress.models import Participant
from game.energy.ledger import lock_account


@dataclass(frozen=True)
class Joined:
    """The participant row, and whether this join made it (False: taking part already)."""

    participant: Participant
    new: bool


async def join_campaign(clock: Clock, user: User, campaign_id: int) -> Joined:
    """Join a live campaign whose audience includes the player (once; again changes nothing)."""
    campaign = await Campaign.get_or_none(id=campaign_id)
    if campaign is None or campaign.stage == Stage.DRAFT:
        raise CampaignNotFound(f"no campaign {campaign_id}")
    await require_audience(campaign, user)
    now = clock.now()
    require_open(campaign, now)
    async with in_transaction() as conn:
        # The same lock the player's counted moments take: joins and progress queue per player.
        await lock_account(conn, user.id)
        found = (
            await Participant.filter(campaign_id=campaign_id, user_id=user.id)
            .using_db(conn)
            .select_for_update()
            .first()
        )
        if found is not None:
            if not found.joined:
                found.joined = True
                await found.save(using_db=conn, update_fields=["joined"])
            return Joined(found, new=False)
        participant = await Participant.create(
            using_db=conn, campaign_id=campaign_id, user_id=user.id, region=user.region,
            joined=True, enrolled_at=now,
        )  # fmt: skip
    return Joined(participant, new=True)


async def _locked(
    conn: BaseDBAsyncClient, campaign_ids: Sequence[int], user_id: int
) -> dict[int, Participant]:
    rows = await (
        Participant.filter(campaign_id__in=list(campaign_ids), user_id=user_id)
        .using_db(conn)
        .order_by("campaign_id")
        .select_for_update()
        .only("id", "campaign_id", "user_id", "region", "progress", "completed_at")
    )
    return {p.campaign_id: p for p in rows}


async def enrol(
    conn: BaseDBAsyncClient, campaigns: Sequence[Campaign], user_id: int, now: datetime
) -> dict[int, Participant]:
    """The player's participant rows in these campaigns, locked in campaign order; players the
    audience takes in without joining are enrolled here, the rest must have joined."""
    ids = [c.id for c in campaigns]
    found = await _locked(conn, ids, user_id)
    missing = [c for c in campaigns if c.id not in found and auto_enrols(c)]
    if not missing:
        return found
    regions = await User.filter(id=user_id).using_db(conn).values_list("region", flat=True)
    region = str(regions[0]) if regions else ""
    eligible = [c for c in missing if await in_audience(conn, c, user_id, region)]
    if not eligible:
        return found
    await Participant.bulk_create(
        [
            Participant(campaign_id=c.id, user_id=user_id, region=region, enrolled_at=now)
            for c in eligible
        ],
        ignore_conflicts=True,
        using_db=conn,
    )
    return await _locked(conn, ids, user_id)
