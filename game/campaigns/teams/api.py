"""HTTP endpoints of teams."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.params import IntId
from core.settings import Settings
from core.users import User
from game.campaigns.teams.membership import (
    create_team,
    invite_to_team,
    join_team,
    leave_team,
    my_team,
    team_view,
)
from game.campaigns.teams.schemas import (
    InviteIn,
    InviteOut,
    LeftOut,
    MyTeamOut,
    TeamIn,
    TeamOut,
    invite_out,
    team_out,
)


class TeamsController(Controller):
    """Teams of friends: start one, invite friends, join by invitation, leave."""

    tags = ["teams"]

    @post("/api/v1/teams", status_code=HTTP_201_CREATED, summary="Start a team")
    async def start(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[TeamIn],
        clock: NamedDependency[Clock],
    ) -> TeamOut:
        """Start a team with me as captain (I must not be in another)."""
        return team_out(await create_team(clock, request.user.id, data.name))

    @get("/api/v1/teams", summary="My team and invitations")
    async def mine(self, request: Request[User, Any, Any]) -> MyTeamOut:
        """The team I am in, if any, and the invitations waiting for me."""
        view, invites = await my_team(request.user.id)
        return MyTeamOut(
            team=team_out(view) if view else None,
            invitations=[invite_out(i, i.team.name) for i in invites],
        )

    @get("/api/v1/teams/{team_id:int}", summary="A team")
    async def one(self, team_id: IntId) -> TeamOut:
        """A team and its members."""
        return team_out(await team_view(team_id))

    @post(
        "/api/v1/teams/{team_id:int}/members", status_code=HTTP_201_CREATED,
        summary="Invite a friend",
    )  # fmt: skip
    async def invite(
        self,
        request: Request[User, Any, Any],
        team_id: IntId,
        data: JSONBody[InviteIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        settings: NamedDependency[Settings],
    ) -> InviteOut:
        """A member invites a friend; the friend gets `team.invited`."""
        invite = await invite_to_team(
            clock, events, settings.team_size_max, request.user.id, team_id, data.user_id
        )
        return invite_out(invite, invite.team.name)

    @post("/api/v1/teams/{team_id:int}/join", status_code=HTTP_200_OK, summary="Join a team")
    async def join(
        self,
        request: Request[User, Any, Any],
        team_id: IntId,
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> TeamOut:
        """Accept an invitation to this team."""
        return team_out(await join_team(clock, settings.team_size_max, request.user.id, team_id))

    @post("/api/v1/teams/{team_id:int}/leave", status_code=HTTP_200_OK, summary="Leave a team")
    async def leave(
        self, request: Request[User, Any, Any], team_id: IntId, clock: NamedDependency[Clock]
    ) -> LeftOut:
        """Leave the team; what I added to its campaigns stays with it."""
        await leave_team(clock, request.user.id, team_id)
        return LeftOut(team_id)
