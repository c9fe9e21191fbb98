"""Protected areas adopted by the square metre, public-welfare projects and donations to them."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class OpenStatus(StrEnum):
    """Whether an area or a welfare project takes energy."""

    OPEN = "open"
    CLOSED = "closed"


class ProtectedArea(Model):
    """Land protected with energy, priced per square metre. total = sold + remaining, always."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    region = fields.CharField(max_length=64, default="")
    place = fields.CharField(max_length=160)
    steward = fields.CharField(max_length=120)
    description = fields.CharField(max_length=400, default="")
    price_grams_per_m2 = fields.BigIntField()
    total_m2 = fields.BigIntField()
    sold_m2 = fields.BigIntField(default=0)
    remaining_m2 = fields.BigIntField()
    status = fields.CharEnumField(OpenStatus, max_length=8, default=OpenStatus.OPEN)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "protected_areas"


class Adoption(Model):
    """Square metres of a protected area a player adopted, and the energy it took."""

    id = fields.BigIntField(primary_key=True)
    area: fields.ForeignKeyRelation[ProtectedArea] = fields.ForeignKeyField(
        "models.ProtectedArea", related_name="adoptions", on_delete=fields.CASCADE
    )
    area_id: int
    user: fields.ForeignKeyRelation[User] = player_link("adoptions")
    user_id: int
    square_metres = fields.BigIntField()
    grams = fields.BigIntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "area_adoptions"
        indexes = (("user_id", "area_id"),)


class WelfareProject(Model):
    """A public-welfare cause players donate energy to, optionally matched by a sponsor's pool.

    match_budget = match_spent + match_remaining, always.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    beneficiary = fields.CharField(max_length=120)
    description = fields.CharField(max_length=400, default="")
    sponsor = fields.CharField(max_length=120, default="")
    match_budget = fields.BigIntField(default=0)
    match_spent = fields.BigIntField(default=0)
    match_remaining = fields.BigIntField(default=0)
    raised = fields.BigIntField(default=0)
    status = fields.CharEnumField(OpenStatus, max_length=8, default=OpenStatus.OPEN)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "welfare_projects"


class Donation(Model):
    """Energy a player gave to a welfare project, and what the sponsor matched."""

    id = fields.BigIntField(primary_key=True)
    project: fields.ForeignKeyRelation[WelfareProject] = fields.ForeignKeyField(
        "models.WelfareProject", related_name="donations", on_delete=fields.CASCADE
    )
    project_id: int
    user: fields.ForeignKeyRelation[User] = player_link("donations")
    user_id: int
    grams = fields.BigIntField()
    matched = fields.BigIntField(default=0)
    code = fields.CharField(max_length=16, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "welfare_donations"
        indexes = (("user_id", "id"),)
