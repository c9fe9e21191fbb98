"""Planting partners, their staff, their projects and each project's yearly quota."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.users import User


class ProjectStatus(StrEnum):
    """Whether a project takes new plantings."""

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


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
