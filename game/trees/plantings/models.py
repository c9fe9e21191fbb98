"""Real trees: plantings, who they belong to, and their status history."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link
from game.trees.projects.models import PlantingProject

if TYPE_CHECKING:
    from core.users import User


class PlantingStatus(StrEnum):
    """Where a real tree stands: allocated to a project, planted by the partner, verified."""

    ALLOCATED = "allocated"
    PLANTED = "planted"
    VERIFIED = "verified"


class Planting(Model):
    """One real tree paid for with energy, from allocation to verified planting."""

    id = fields.BigIntField(primary_key=True)
    project: fields.ForeignKeyRelation[PlantingProject] = fields.ForeignKeyField(
        "models.PlantingProject", related_name="plantings", on_delete=fields.CASCADE
    )
    project_id: int
    year = fields.IntField()
    species = fields.CharField(max_length=32)
    cost = fields.BigIntField()
    coplanting_id = fields.BigIntField(null=True, unique=True)
    status = fields.CharEnumField(PlantingStatus, max_length=12, default=PlantingStatus.ALLOCATED)
    version = fields.IntField(default=1)
    code = fields.CharField(max_length=16, unique=True)
    planted_on = fields.DateField(null=True)
    plot = fields.CharField(max_length=64, default="")
    latitude_e6 = fields.IntField(null=True)
    longitude_e6 = fields.IntField(null=True)
    photo = fields.CharField(max_length=80, default="")
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "plantings"
        indexes = (("project_id", "year"), ("project_id", "status"))


class PlantingOwner(Model):
    """A player named on a planting's certificate and the energy they gave for it."""

    id = fields.BigIntField(primary_key=True)
    planting: fields.ForeignKeyRelation[Planting] = fields.ForeignKeyField(
        "models.Planting", related_name="owners", on_delete=fields.CASCADE
    )
    planting_id: int
    user: fields.ForeignKeyRelation[User] = player_link("plantings_owned")
    user_id: int
    grams = fields.BigIntField()

    class Meta:
        table = "planting_owners"
        unique_together = (("planting_id", "user_id"),)
        indexes = (("user_id", "planting_id"),)


class PlantingEvent(Model):
    """One status change of a planting, kept as its history."""

    id = fields.BigIntField(primary_key=True)
    planting: fields.ForeignKeyRelation[Planting] = fields.ForeignKeyField(
        "models.Planting", related_name="events", on_delete=fields.CASCADE
    )
    planting_id: int
    status = fields.CharField(max_length=12)
    version = fields.IntField()
    actor_id = fields.IntField(null=True)
    note = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "planting_events"
        unique_together = (("planting_id", "version"),)


def tree_number(planting: Planting) -> str:
    """The number printed on the certificate: year and planting id."""
    return f"GS-{planting.year}-{planting.id:07d}"
