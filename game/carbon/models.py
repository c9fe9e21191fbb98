"""Rows of the carbon account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class Action(Model):
    """A low-carbon action credited to a player, once per (source, external_id)."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = player_link("actions")
    user_id: int
    scenario = fields.CharField(max_length=48)
    source = fields.CharField(max_length=48)
    external_id = fields.CharField(max_length=128)
    quantity = fields.DecimalField(max_digits=15, decimal_places=3)
    credited_quantity = fields.DecimalField(max_digits=15, decimal_places=3)
    grams = fields.BigIntField()
    occurred_at = fields.DatetimeField()
    local_date = fields.DateField()
    bubble_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "carbon_actions"
        unique_together = (("source", "external_id"),)
        indexes = (("user_id", "local_date"),)


class DailyUsage(Model):
    """How much of a scenario's daily cap a player has used on one local day."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    scenario = fields.CharField(max_length=48)
    local_date = fields.DateField()
    quantity = fields.DecimalField(max_digits=15, decimal_places=3, default=0)

    class Meta:
        table = "carbon_daily_usage"
        unique_together = (("user_id", "scenario", "local_date"),)
