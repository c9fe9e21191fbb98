"""HTTP endpoints of campaigns (create, list, read, change) and of saved segments."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from core.clock import Clock
from core.guards import requires_role
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, IntId, Limit
from core.settings import Settings
from core.users import Role, User
from game.campaigns.lifecycle.registry import (
    CampaignChanges,
    CampaignDraft,
    create_campaign,
    update_campaign,
)
from game.campaigns.lifecycle.schemas import (
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    CampaignsPage,
    SegmentIn,
    SegmentOut,
    campaign_out,
    segment_out,
)
from game.campaigns.lifecycle.segments import (
    NewSegment,
    create_segment,
    get_segment,
    list_segments,
    segment_size,
)
from game.campaigns.lifecycle.states import CampaignState
from game.campaigns.lifecycle.viewing import campaign_for, campaigns_for
from game.campaigns.lifecycle.windows import window
from game.carbon.catalog import Catalog

MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]
CAMPAIGNS, SEGMENTS = ["campaigns"], ["campaigns: segments"]


def _settle_after(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.campaign_settle_after_seconds)


class CampaignsController(Controller):
    """Campaign managers create, schedule and change campaigns; players see theirs."""

    @post(
        "/api/v1/campaigns", guards=MANAGERS, status_code=HTTP_201_CREATED,
        summary="Create a campaign (a draft)", tags=CAMPAIGNS,
    )  # fmt: skip
    async def create(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[CampaignIn],
        clock: NamedDependency[Clock],
        catalog: NamedDependency[Catalog],
        settings: NamedDependency[Settings],
    ) -> CampaignOut:
        """A draft with its window, audience, goal and rewards; publish it with PATCH."""
        draft = CampaignDraft(
            name=data.name, description=data.description, art_url=data.art_url,
            window=window(data.starts_at, data.ends_at, data.timezone),
            audience=data.audience.audience(), goal=data.goal.goal(),
            rewards=[r.spec() for r in data.rewards],
        )  # fmt: skip
        campaign = await create_campaign(clock, catalog, request.user.id, draft)
        shown = await campaign_for(clock, request.user, campaign.id)
        return campaign_out(shown, _settle_after(settings))

    @get("/api/v1/campaigns", summary="Campaigns", tags=CAMPAIGNS)
    async def list_campaigns(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        # `state` is a reserved name in Litestar handlers, so the query parameter is aliased.
        in_state: Annotated[
            CampaignState | None,
            QueryParameter(name="state", description="draft, scheduled, live, ended or settled"),
        ] = None,
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> CampaignsPage:
        """Newest first: every campaign for managers, those meant for me for players."""
        views, last = await campaigns_for(
            clock, request.user, in_state, decode_cursor(cursor), limit
        )
        after = _settle_after(settings)
        return CampaignsPage([campaign_out(v, after) for v in views], encode_cursor(last))

    @get("/api/v1/campaigns/{campaign_id:int}", summary="A campaign", tags=CAMPAIGNS)
    async def one(
        self,
        request: Request[User, Any, Any],
        campaign_id: IntId,
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> CampaignOut:
        """A campaign with its state, goal and rewards (players: only those meant for them)."""
        shown = await campaign_for(clock, request.user, campaign_id)
        return campaign_out(shown, _settle_after(settings))

    @patch(
        "/api/v1/campaigns/{campaign_id:int}", guards=MANAGERS, summary="Change a campaign",
        tags=CAMPAIGNS,
    )  # fmt: skip
    async def change(
        self,
        request: Request[User, Any, Any],
        campaign_id: IntId,
        data: JSONBody[CampaignPatch],
        clock: NamedDependency[Clock],
        catalog: NamedDependency[Catalog],
        settings: NamedDependency[Settings],
    ) -> CampaignOut:
        """Edit a draft freely; publish it; once started: pause, extend, rename only."""
        changes = CampaignChanges(
            name=data.name, description=data.description, art_url=data.art_url,
            starts_at=data.starts_at, ends_at=data.ends_at, timezone=data.timezone,
            audience=data.audience.audience() if data.audience else None,
            goal=data.goal.goal() if data.goal else None,
            rewards=[r.spec() for r in data.rewards] if data.rewards is not None else None,
            state=data.state, paused=data.paused,
        )  # fmt: skip
        await update_campaign(clock, catalog, campaign_id, changes)
        shown = await campaign_for(clock, request.user, campaign_id)
        return campaign_out(shown, _settle_after(settings))

    @post(
        "/api/v1/segments", guards=MANAGERS, status_code=HTTP_201_CREATED,
        summary="Save a segment", tags=SEGMENTS,
    )  # fmt: skip
    async def save_segment(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[SegmentIn],
        clock: NamedDependency[Clock],
    ) -> SegmentOut:
        """A region and an activity window that campaign audiences can name."""
        given = NewSegment(data.name, data.region, data.active_within_days)
        return segment_out(await create_segment(clock, request.user.id, given))

    @get("/api/v1/segments", guards=MANAGERS, summary="Saved segments", tags=SEGMENTS)
    async def segments(self) -> list[SegmentOut]:
        """Every saved segment, newest first."""
        return [segment_out(s) for s in await list_segments()]

    @get(
        "/api/v1/segments/{segment_id:int}", guards=MANAGERS, summary="A segment and its size",
        tags=SEGMENTS,
    )  # fmt: skip
    async def segment(self, segment_id: IntId, clock: NamedDependency[Clock]) -> SegmentOut:
        """A segment with how many players are in it now."""
        found = await get_segment(segment_id)
        return segment_out(found, await segment_size(found, clock.now()))
