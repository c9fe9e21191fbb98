"""Campaigns in a player's export, and what erasure changes: the player leaves their team and
their pending invitations go; participations and contributions stay, pseudonymised by the user
row, because campaign totals, team totals and boards are built from them
(docs/reliability.md#privacy)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest
from game.campaigns.progress.models import Participant
from game.campaigns.teams.membership import step_out
from game.campaigns.teams.models import Team, TeamInvite, TeamMember


async def export_campaigns(request: ExportRequest) -> ExportPart:
    """The campaigns I took part in with my progress, my teams and my team invitations."""
    me = request.user_id
    data = {
        "participations": await Participant.filter(user_id=me)
        .order_by("id")
        .values(
            "campaign_id",
            "campaign__name",
            "region",
            "joined",
            "enrolled_at",
            "progress",
            "completed_at",
        ),
        "teams": await TeamMember.filter(user_id=me)
        .order_by("id")
        .values("team_id", "team__name", "joined_at", "left_at"),
        "team_invites": await TeamInvite.filter(user_id=me)
        .order_by("id")
        .values("team_id", "invited_by_id", "status", "created_at"),
        "teams_captained": await Team.filter(captain_id=me).order_by("id").values("id", "name"),
    }
    return ExportPart("campaigns", data)


async def erase_campaigns(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Leave the current team, drop pending invitations, and rename teams the player named."""
    me = erasure.user_id
    # A team's name was chosen by its captain: it may carry who they are. Renamed before the
    # captaincy passes on with the player's leaving.
    for team in await Team.filter(captain_id=me).using_db(conn):
        await Team.filter(id=team.id).using_db(conn).update(name=f"Team {team.id}")
    membership = await TeamMember.filter(active_user_id=me).using_db(conn).first()
    if membership is not None:
        team = await Team.filter(id=membership.team_id).using_db(conn).select_for_update().get()
        await step_out(conn, team, me, erasure.at)
    await TeamInvite.filter(user_id=me, status="pending").using_db(conn).delete()
