"""Tree rows: chosen species, planting partners and projects, plantings and their owners."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.auth.models import User


class ProjectStatus(StrEnum):
    """Whether a project takes new plantings."""

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


class PlantingStatus(StrEnum):
    """Where a real tree stands: allocated to a project, planted by the partner, verified."""

    ALLOCATED = "allocated"
    PLANTED = "planted"
    VERIFIED = "verified"


class TreeChoice(Model):
    """The species a player is growing in their forest."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="tree_choice", on_delete=fields.CASCADE, primary_key=True
    )
    user_id: int
    species = fields.CharField(max_length=32)
    chosen_at = fields.DatetimeField()

    class Meta:
        table = "tree_choices"


class PartnerOrganisation(Model):
    """An organisation that plants trees and reports them (a planting partner)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, unique=True)
    region = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "planting_partners"


class PartnerMember(Model):
    """A user with the planting_partner role who reports for one organisation."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="partner_membership", on_delete=fields.CASCADE, primary_key=True
    )
    user_id: int
    organisation: fields.ForeignKeyRelation[PartnerOrganisation] = fields.ForeignKeyField(
        "models.PartnerOrganisation", related_name="members", on_delete=fields.CASCADE
    )
    organisation_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "planting_partner_members"


class PlantingProject(Model):
    """A partner's planting site for one species, with a yearly quota of trees."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    organisation: fields.ForeignKeyRelation[PartnerOrganisation] = fields.ForeignKeyField(
        "models.PartnerOrganisation", related_name="projects", on_delete=fields.CASCADE
    )
    organisation_id: int
    species = fields.CharField(max_length=32, db_index=True)
    region = fields.CharField(max_length=64, default="")
    place = fields.CharField(max_length=160)
    quota_per_year = fields.IntField()
    status = fields.CharEnumField(ProjectStatus, max_length=12, default=ProjectStatus.ACTIVE)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "planting_projects"


class ProjectYear(Model):
    """A project's quota for one calendar year. quota = used + remaining, always."""

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[PlantingProject] = fields.ForeignKeyField(
        "models.PlantingProject", related_name="years", on_delete=fields.CASCADE
    )
    project_id: int
    year = fields.IntField()
    quota = fields.IntField()
    used = fields.IntField(default=0)
    remaining = fields.IntField()

    class Meta:
        table = "planting_project_years"
        unique_together = (("project_id", "year"),)


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
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="plantings_owned", on_delete=fields.CASCADE
    )
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


class CoPlantingStatus(StrEnum):
    """A co-planted tree collects energy while open, then is planted or cancelled."""

    OPEN = "open"
    PLANTED = "planted"
    CANCELLED = "cancelled"


class CoPlanting(Model):
    """A tree friends fund together. Its quota is reserved when it starts."""

    id = fields.BigIntField(primary_key=True)
    starter: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="coplantings_started", on_delete=fields.CASCADE
    )
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
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="coplanting_memberships", on_delete=fields.CASCADE
    )
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
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="coplanting_contributions", on_delete=fields.CASCADE
    )
    user_id: int
    grams = fields.BigIntField()
    refunded = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "coplanting_contributions"
        indexes = (("coplanting_id", "user_id"),)
