"""Request and response shapes of teams."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import IdIn
from game.campaigns.teams.membership import TeamView
from game.campaigns.teams.models import TeamInvite

TeamName = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^\S(.*\S)?$")]


class TeamIn(msgspec.Struct, forbid_unknown_fields=True):
    """A team to start."""

    name: TeamName


class InviteIn(msgspec.Struct, forbid_unknown_fields=True):
    """The friend to invite."""

    user_id: IdIn


class TeamMemberOut(msgspec.Struct):
    """A member of a team."""

    user_id: int
    username: str
    display_name: str
    joined_at: datetime


class TeamOut(msgspec.Struct):
    """A team, its captain and its members."""

    id: int
    name: str
    captain_id: int
    size: int
    members: list[TeamMemberOut]
    created_at: datetime


def team_out(view: TeamView) -> TeamOut:
    """Show a team."""
    t = view.team
    members = [
        TeamMemberOut(m.user_id, m.user.username, m.user.display_name, m.joined_at)
        for m in view.members
    ]
    return TeamOut(t.id, t.name, t.captain_id, t.size, members, t.created_at)


class InviteOut(msgspec.Struct):
    """An invitation to a team."""

    team_id: int
    team_name: str
    user_id: int
    invited_by_id: int
    status: str
    created_at: datetime


def invite_out(invite: TeamInvite, team_name: str) -> InviteOut:
    """Show an invitation."""
    return InviteOut(
        invite.team_id, team_name, invite.user_id, invite.invited_by_id, invite.status,
        invite.created_at,
    )  # fmt: skip


class MyTeamOut(msgspec.Struct):
    """My team, if any, and the invitations waiting for me."""

    team: TeamOut | None
    invitations: list[InviteOut]


class LeftOut(msgspec.Struct):
    """Left the team."""

    team_id: int
    left: bool = True
