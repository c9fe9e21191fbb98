"""Teams: create one, invite friends, join by invitation, leave (docs/rules.md#teams).

A player is in at most one team at a time (a unique column holds that, even under races), and
a team never has more members than the size cap (the guard is in the UPDATE of its size). A
team's history of members is kept, so a campaign can tell who was in it at any moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Forbidden, NotFound
from core.events import EventSink
from game.campaigns.teams.models import Team, TeamInvite, TeamMember
from social.friends.access import require_friends


class TeamNotFound(NotFound):
    """No such team."""

    code = "team-not-found"
    title = "Team not found"


class AlreadyInATeam(Conflict):
    """A player is in one team at a time: leave the current one first."""

    code = "already-in-a-team"
    title = "You are already in a team"


class TeamFull(Conflict):
    """The team has as many members as the size cap allows."""

    code = "team-full"
    title = "This team is full"


class NotATeamMember(Forbidden):
    """Only a team's members may do this."""

    code = "not-a-team-member"
    title = "You are not in this team"


class TeamInviteNotFound(NotFound):
    """No pending invitation to this team for the caller."""

    code = "team-invite-not-found"
    title = "No invitation to this team"


class AlreadyInThisTeam(Conflict):
    """The friend is a member already."""

    code = "already-in-this-team"
    title = "Already a member of this team"


@dataclass(frozen=True)
class TeamView:
    """A team with its current members, oldest first."""

    team: Team
    members: list[TeamMember]


async def _seat(team_id: int, user_id: int, now: datetime) -> None:
    """Put a player in a team; the unique active_user_id refuses a second team at once.

    Runs in a savepoint of the caller's transaction, so the refusal leaves it usable.
    """
    try:
        async with in_transaction() as seat:
            await TeamMember.create(
                using_db=seat, team_id=team_id, user_id=user_id, active_user_id=user_id,
                joined_at=now,
            )  # fmt: skip
    except IntegrityError:
        raise AlreadyInATeam() from None


async def create_team(clock: Clock, user_id: int, name: str) -> TeamView:
    """Start a team with its creator as captain and first member."""
    now = clock.now()
    async with in_transaction() as conn:
        if await TeamMember.filter(active_user_id=user_id).using_db(conn).exists():
            raise AlreadyInATeam()
        team = await Team.create(
            using_db=conn, name=name, captain_id=user_id, size=1, created_at=now
        )
        await _seat(team.id, user_id, now)
    return await team_view(team.id)


async def invite_to_team(
    clock: Clock, events: EventSink, cap: int, inviter_id: int, team_id: int, friend_id: int
) -> TeamInvite:
    """A member invites a friend; the friend gets `team.invited`."""
    team = await _team(team_id)
    if not await TeamMember.filter(team_id=team_id, active_user_id=inviter_id).exists():
        raise NotATeamMember()
    async with in_transaction() as conn:
        await require_friends(inviter_id, friend_id, conn, doing="invite each other to teams")
        if (
            await TeamMember.filter(team_id=team_id, active_user_id=friend_id)
            .using_db(conn)
            .exists()
        ):
            raise AlreadyInThisTeam()
        if team.size >= cap:
            raise TeamFull(f"a team has at most {cap} members", cap=cap)
        await TeamInvite.bulk_create(
            [TeamInvite(team_id=team_id, user_id=friend_id, invited_by_id=inviter_id,
                        created_at=clock.now())],
            ignore_conflicts=True, using_db=conn,
        )  # fmt: skip
        invites = TeamInvite.filter(team_id=team_id, user_id=friend_id).using_db(conn)
        await invites.update(status="pending", invited_by_id=inviter_id, created_at=clock.now())
        invite = await invites.prefetch_related("team").get()
        await events.publish(
            conn, friend_id, "team.invited",
            {"team_id": team_id, "team_name": team.name, "by_user_id": inviter_id},
        )  # fmt: skip
    return invite


async def join_team(clock: Clock, cap: int, user_id: int, team_id: int) -> TeamView:
    """Accept an invitation: join the team if it has room and the player is in no other."""
    await _team(team_id)
    now = clock.now()
    async with in_transaction() as conn:
        invite = (
            await TeamInvite.filter(team_id=team_id, user_id=user_id, status="pending")
            .using_db(conn)
            .select_for_update()
            .first()
        )
        if invite is None:
            raise TeamInviteNotFound()
        if await TeamMember.filter(active_user_id=user_id).using_db(conn).exists():
            raise AlreadyInATeam()
        grew = await Team.filter(id=team_id, size__lt=cap).using_db(conn).update(size=F("size") + 1)
        if not grew:
            raise TeamFull(f"a team has at most {cap} members", cap=cap)
        await _seat(team_id, user_id, now)
        await TeamInvite.filter(id=invite.id).using_db(conn).update(status="accepted")
    return await team_view(team_id)


async def leave_team(clock: Clock, user_id: int, team_id: int) -> None:
    """Leave a team; a captain who leaves hands over to the longest-standing member."""
    async with in_transaction() as conn:
        team = await Team.filter(id=team_id).using_db(conn).select_for_update().first()
        if team is None:
            raise TeamNotFound()
        if not await step_out(conn, team, user_id, clock.now()):
            raise NotATeamMember()


async def step_out(conn: BaseDBAsyncClient, team: Team, user_id: int, now: datetime) -> bool:
    """End a player's membership of a locked team (captaincy passes on); False if not in it."""
    left = await (
        TeamMember.filter(team_id=team.id, active_user_id=user_id)
        .using_db(conn)
        .update(active_user_id=None, left_at=now)
    )
    if not left:
        return False
    await Team.filter(id=team.id).using_db(conn).update(size=F("size") - 1)
    if team.captain_id == user_id:
        heir = (
            await TeamMember.filter(team_id=team.id, active_user_id__isnull=False)
            .using_db(conn)
            .order_by("joined_at", "id")
            .first()
        )
        if heir is not None:
            await Team.filter(id=team.id).using_db(conn).update(captain_id=heir.user_id)
    return True


async def _team(team_id: int) -> Team:
    team = await Team.get_or_none(id=team_id)
    if team is None:
        raise TeamNotFound()
    return team


async def team_view(team_id: int) -> TeamView:
    """A team and its current members."""
    team = await _team(team_id)
    members = await (
        TeamMember.filter(team_id=team_id, active_user_id__isnull=False)
        .order_by("joined_at", "id")
        .prefetch_related("user")
    )
    return TeamView(team, list(members))


async def my_team(user_id: int) -> tuple[TeamView | None, list[TeamInvite]]:
    """The caller's team (or None) and their pending invitations, newest first."""
    seat = await TeamMember.get_or_none(active_user_id=user_id)
    view = await team_view(seat.team_id) if seat is not None else None
    invites = await (
        TeamInvite.filter(user_id=user_id, status="pending")
        .order_by("-id")
        .limit(50)
        .prefetch_related("team")
    )
    return view, list(invites)


async def current_team(conn: BaseDBAsyncClient | None, user_id: int) -> int | None:
    """The team a player is in now, if any."""
    rows = await (
        TeamMember.filter(active_user_id=user_id).using_db(conn).values_list("team_id", flat=True)
    )
    team_ids = cast(list[int], rows)
    return int(team_ids[0]) if team_ids else None


async def members_at(team_id: int, moment: datetime, after_user: int, limit: int) -> list[int]:
    """Who was in the team at `moment`, by user id above `after_user`, at most `limit`."""
    rows = await (
        TeamMember.filter(team_id=team_id, joined_at__lte=moment, user_id__gt=after_user)
        .filter(Q(left_at__isnull=True) | Q(left_at__gt=moment))
        .order_by("user_id")
        .limit(limit)
        .values_list("user_id", flat=True)
    )
    return sorted({int(u) for u in cast(list[int], rows)})
