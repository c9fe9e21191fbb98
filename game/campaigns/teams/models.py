"""Teams, their members over time, and invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.users import User


class Team(Model):
    """A team of friends: `size` counts its members now and is guarded by the size cap."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64)
    captain_id = fields.IntField()
    size = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "teams"


class TeamMember(Model):
    """A player's time in a team. `active_user_id` is set while they are in it: being unique,
    it keeps a player in one team at a time."""

    id = fields.BigIntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="members", on_delete=fields.CASCADE
    )
    team_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="team_memberships", on_delete=fields.CASCADE
    )
    user_id: int
    active_user_id = fields.IntField(null=True, unique=True)
    joined_at = fields.DatetimeField()
    left_at = fields.DatetimeField(null=True)

    class Meta:
        table = "team_members"
        indexes = (("team_id", "user_id"),)


class TeamInvite(Model):
    """An invitation from a member to a friend: pending until the friend joins."""

    id = fields.BigIntField(primary_key=True)
    team: fields.ForeignKeyRelation[Team] = fields.ForeignKeyField(
        "models.Team", related_name="invites", on_delete=fields.CASCADE
    )
    team_id: int
    user_id = fields.IntField(db_index=True)
    invited_by_id = fields.IntField()
    status = fields.CharField(max_length=10, default="pending")
    created_at = fields.DatetimeField()

    class Meta:
        table = "team_invites"
        unique_together = (("team_id", "user_id"),)
