"""HTTP endpoints of live progress: join, my progress, boards, statistics, participants CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.guards import requires_role
from core.paging import decode_cursor
from core.params import Cursor, IntId, Limit
from core.settings import Settings
from core.users import Role, User
from game.campaigns.progress.boards import CampaignBoards, Which
from game.campaigns.progress.enrolment import join_campaign
from game.campaigns.progress.exports import participants_export
from game.campaigns.progress.ranking import campaign_board
from game.campaigns.progress.schemas import (
    CampaignBoardOut,
    ProgressOut,
    StatsOut,
    campaign_board_out,
    progress_out,
    stats_out,
)
from game.campaigns.progress.standing import campaign_standing
from game.campaigns.progress.stats import Step, campaign_stats

MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]


async def _csv(rows: AsyncIterator[list[str]]) -> AsyncIterator[str]:
    async for row in rows:
        line = io.StringIO()
        csv.writer(line).writerow(row)
        yield line.getvalue()


class ProgressController(Controller):
    """Taking part in a campaign and following it live; its figures for campaign managers."""

    tags = ["campaigns: progress"]

    @post("/api/v1/campaigns/{campaign_id:int}/join", summary="Join a campaign")
    async def join(
        self, request: Request[User, Any, Any], campaign_id: IntId, clock: NamedDependency[Clock]
    ) -> Response[ProgressOut]:
        """Take part in a live campaign meant for me (201; 200 when I already take part)."""
        joined = await join_campaign(clock, request.user, campaign_id)
        shown = progress_out(await campaign_standing(request.user, campaign_id), clock.now())
        return Response(shown, status_code=HTTP_201_CREATED if joined.new else HTTP_200_OK)

    @get("/api/v1/campaigns/{campaign_id:int}/progress", summary="My progress")
    async def progress(
        self, request: Request[User, Any, Any], campaign_id: IntId, clock: NamedDependency[Clock]
    ) -> ProgressOut:
        """My progress toward the target, my team's or region's total, my rewards."""
        return progress_out(await campaign_standing(request.user, campaign_id), clock.now())

    @get("/api/v1/campaigns/{campaign_id:int}/leaderboard", summary="A campaign's board")
    async def leaderboard(
        self,
        request: Request[User, Any, Any],
        campaign_id: IntId,
        clock: NamedDependency[Clock],
        campaign_boards: NamedDependency[CampaignBoards],
        board: Annotated[
            Which, Parameter(description="players (default), teams, or regions")
        ] = "players",
        around: Annotated[
            Literal["me"] | None, Parameter(description="me: a window centred on me")
        ] = None,
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> CampaignBoardOut:
        """Players by progress, teams or regions by total; ties go to who got there first."""
        shown = await campaign_board(
            campaign_boards, clock.now(), request.user, campaign_id, board,
            decode_cursor(cursor), limit, around == "me",
        )  # fmt: skip
        return campaign_board_out(shown)

    @get(
        "/api/v1/campaigns/{campaign_id:int}/stats", guards=MANAGERS,
        summary="A campaign's figures over time",
    )  # fmt: skip
    async def stats(
        self,
        request: Request[User, Any, Any],
        campaign_id: IntId,
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        step: Annotated[Step, Parameter(description="hour or day (default)")] = "day",
    ) -> StatsOut:
        """Participants, completions, grams avoided, budget spent and left, by hour or day."""
        now = clock.now()
        after = timedelta(seconds=settings.campaign_settle_after_seconds)
        return stats_out(await campaign_stats(request.user, campaign_id, step, now, after), now)

    @get(
        "/api/v1/campaigns/{campaign_id:int}/participants.csv", guards=MANAGERS,
        summary="Participants as CSV", media_type="text/csv",
    )  # fmt: skip
    async def participants(self, request: Request[User, Any, Any], campaign_id: IntId) -> Stream:
        """Every participant with progress, completion and rewards, one row each."""
        rows = await participants_export(request.user, campaign_id)
        return Stream(
            _csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="campaign-{campaign_id}.csv"'},
        )
