"""Prop inventories, their stock ledger, and props in effect."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class PropStock(Model):
    """How many of one kind of prop a player holds."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = player_link("props")
    user_id: int
    kind = fields.CharField(max_length=24)
    quantity = fields.IntField(default=0)

    class Meta:
        table = "prop_stock"
        unique_together = (("user_id", "kind"),)


class PropLedger(Model):
    """One append-only change of a prop stock (granted, used), once per key."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    kind = fields.CharField(max_length=24)
    delta = fields.IntField()
    quantity_after = fields.IntField()
    reason = fields.CharField(max_length=280, default="")
    key = fields.CharField(max_length=160, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "prop_ledger"


class PropEffect(Model):
    """A prop in use: its effect lasts from starts_at until ends_at."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    kind = fields.CharField(max_length=24)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()

    class Meta:
        table = "prop_effects"
        indexes = (("user_id", "kind", "ends_at"),)
