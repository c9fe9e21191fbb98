"""A campaign's state, from what its manager decided and the clock (docs/rules.md#lifecycle).

draft → scheduled → live → ended → settled. A manager publishes a draft (then the window
decides: scheduled before its start, live inside it, ended after it) and may take a campaign
that has not started back to draft. The worker settles it a while after its end
(`GREENSPARK_CAMPAIGN_SETTLE_AFTER_SECONDS`). No job is needed for it to go live or to end.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from core.errors import Conflict, NotFound
from game.campaigns.lifecycle.models import Campaign, Stage

CampaignState = Literal["draft", "scheduled", "live", "ended", "settled"]
# The changes a live campaign accepts: none of them takes back what players earned.
LIVE_CHANGES = frozenset({"name", "description", "art_url", "ends_at", "paused"})
# An ended campaign (not yet settled) accepts only its words and art.
ENDED_CHANGES = frozenset({"name", "description", "art_url"})


class CampaignNotFound(NotFound):
    """No such campaign, or not one the caller may see."""

    code = "campaign-not-found"
    title = "Campaign not found"


class CampaignSettled(Conflict):
    """A settled campaign is final."""

    code = "campaign-settled"
    title = "This campaign is settled"


class LiveChangeRefused(Conflict):
    """Once a campaign has started, only changes that cannot take back what players earned are
    accepted: a later end, pausing, its name, description and art."""

    code = "campaign-change-refused"
    title = "A started campaign cannot change this"


class WindowShortened(Conflict):
    """A live campaign's end may only move later."""

    code = "campaign-window-shortened"
    title = "A live campaign's window can only be extended"


class CampaignNotOpen(Conflict):
    """The campaign is not live: not started yet, or over."""

    code = "campaign-not-open"
    title = "This campaign is not open"


def campaign_state(campaign: Campaign, now: datetime) -> CampaignState:
    """The state of a campaign at a moment."""
    if campaign.stage == Stage.DRAFT:
        return "draft"
    if campaign.stage == Stage.SETTLED:
        return "settled"
    if now < campaign.starts_at:
        return "scheduled"
    return "live" if now < campaign.ends_at else "ended"


def settles_at(campaign: Campaign, settle_after: timedelta) -> datetime:
    """When the worker settles a published campaign: late reports count until then."""
    return campaign.ends_at + settle_after


def allowed_changes(state: CampaignState) -> frozenset[str] | None:
    """Which fields a campaign in this state accepts changes to (None: every field)."""
    if state in ("draft", "scheduled"):
        return None
    if state == "live":
        return LIVE_CHANGES
    if state == "ended":
        return ENDED_CHANGES
    return frozenset()


def require_open(campaign: Campaign, now: datetime) -> None:
    """Refuse unless the campaign is live (joining happens inside the window only)."""
    state = campaign_state(campaign, now)
    if state == "scheduled":
        raise CampaignNotOpen(
            f"the campaign starts at {campaign.starts_at.isoformat()}",
            starts_at=campaign.starts_at.isoformat(),
        )
    if state != "live":
        raise CampaignNotOpen(
            f"the campaign ended at {campaign.ends_at.isoformat()}",
            ends_at=campaign.ends_at.isoformat(),
        )
