"""Co-plantings: friends funding one real tree together, and what each gave."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link
from game.trees.projects.models import PlantingProject

if TYPE_CHECKING:
    from core.users import User


class CoPlantingStatus(StrEnum):
    """A co-planted tree collects energy while open, then is planted or cancelled."""

    OPEN = "open"
    PLANTED = "planted"
    CANCELLED = "cancelled"


class CoPlanting(Model):
    """A tree friends fund together. Its quota is reserved when it starts."""

    id = fields.BigIntField(primary_key=True)
    starter: fields.ForeignKeyRelation[User] = player_link("coplantings_started")
    starter_id: int
    species = fields.CharField(max_length=32)
    project: fields.ForeignKeyRelation[PlantingProject] = fields.ForeignKeyField(
        "models.PlantingProject", related_name="coplantings", on_delete=fields.CASCADE
    )
    project_id: int
    year = fields.IntField()
    cost = fields.BigIntField()
    funded = fields.BigIntField(default=0)
    status = fields.CharEnumField(CoPlantingStatus, max_length=12, default=CoPlantingStatus.OPEN)
    planting_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "coplantings"
        indexes = (("project_id", "year", "status"),)


class CoPlantingMember(Model):
    """A player invited to fund a co-planted tree (the starter is a member too)."""

    id = fields.BigIntField(primary_key=True)
    coplanting: fields.ForeignKeyRelation[CoPlanting] = fields.ForeignKeyField(
        "models.CoPlanting", related_name="members", on_delete=fields.CASCADE
    )
    coplanting_id: int
    user: fields.ForeignKeyRelation[User] = player_link("coplanting_memberships")
    user_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "coplanting_members"
        unique_together = (("coplanting_id", "user_id"),)
        indexes = (("user_id", "coplanting_id"),)


class CoPlantingContribution(Model):
    """Energy a member put into a co-planted tree, refunded in full if it is cancelled."""

    id = fields.BigIntField(primary_key=True)
    coplanting: fields.ForeignKeyRelation[CoPlanting] = fields.ForeignKeyField(
        "models.CoPlanting", related_name="contributions", on_delete=fields.CASCADE
    )
    coplanting_id: int
    user: fields.ForeignKeyRelation[User] = player_link("coplanting_contributions")
    user_id: int
    grams = fields.BigIntField()
    refunded = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "coplanting_contributions"
        indexes = (("coplanting_id", "user_id"),)
