"""Energy rows: the per-player account, bubbles, and the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class EnergyAccount(Model):
    """A player's balance, always equal to the sum of their ledger deltas."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="energy", on_delete=fields.CASCADE, primary_key=True
    )
    user_id: int
    balance = fields.BigIntField(default=0)
    lifetime_collected = fields.BigIntField(default=0)

    class Meta:
        table = "energy_accounts"


class Bubble(Model):
    """Energy waiting in a forest. amount = collected + stolen + remaining + expired, always.

    `revived` is the part of `expired` that a revive brought back (at most once per bubble).
    """

    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = player_link("bubbles")
    owner_id: int
    scenario = fields.CharField(max_length=48)
    rule = fields.CharField(max_length=8)
    amount = fields.BigIntField()
    remaining = fields.BigIntField()
    collected = fields.BigIntField(default=0)
    stolen = fields.BigIntField(default=0)
    expired = fields.BigIntField(default=0)
    revived = fields.BigIntField(default=0)
    local_date = fields.DateField()
    created_at = fields.DatetimeField()
    ripens_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "bubbles"
        indexes = (("owner_id", "expires_at"),)


class LedgerEntry(Model):
    """One append-only change of a player's balance. Its `key` makes each change happen once."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = player_link("ledger")
    user_id: int
    delta = fields.BigIntField()
    balance_after = fields.BigIntField()
    kind = fields.CharField(max_length=24)
    key = fields.CharField(max_length=160, unique=True)
    bubble_id = fields.BigIntField(null=True)
    reason = fields.CharField(max_length=280, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "energy_ledger"
        indexes = (("user_id", "id"),)


class NoticeMark(Model):
    """Up to when a kind of scheduled notice has been sent, so none is sent twice or skipped."""

    name = fields.CharField(max_length=32, primary_key=True)
    sent_until = fields.DatetimeField()

    class Meta:
        table = "notice_marks"
