"""Budget pools and their ledger, grants, vouchers and medals (docs/rules.md#rewards)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.users import User


class PoolUnit(StrEnum):
    """What a pool's numbers count: money in fen, energy in grams, or items (props, medals)."""

    FEN = "fen"
    GRAMS = "grams"
    ITEMS = "items"


class PoolStatus(StrEnum):
    """Whether rewards may still draw on a pool."""

    OPEN = "open"
    CLOSED = "closed"


class BudgetPool(Model):
    """A sponsor's budget that rewards draw on, one unit cost a grant: total = spent + remaining."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    sponsor = fields.CharField(max_length=120, default="")
    unit = fields.CharEnumField(PoolUnit, max_length=8)
    unit_cost = fields.BigIntField()
    total = fields.BigIntField()
    spent = fields.BigIntField(default=0)
    remaining = fields.BigIntField()
    status = fields.CharEnumField(PoolStatus, max_length=8, default=PoolStatus.OPEN)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "reward_pools"


class PoolEntry(Model):
    """One append-only change of a pool: funding raises its total, a grant spends one unit."""

    id = fields.BigIntField(primary_key=True)
    pool: fields.ForeignKeyRelation[BudgetPool] = fields.ForeignKeyField(
        "models.BudgetPool", related_name="entries", on_delete=fields.CASCADE
    )
    pool_id: int
    kind = fields.CharField(max_length=8)
    amount = fields.BigIntField()
    key = fields.CharField(max_length=160, unique=True)
    grant_id = fields.BigIntField(null=True, unique=True)
    by_user_id = fields.IntField(null=True)
    reason = fields.CharField(max_length=280, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "reward_pool_entries"
        indexes = (("pool_id", "kind"),)


class Grant(Model):
    """One reward to one player, once per key: granted, or not because its pool could not pay."""

    id = fields.BigIntField(primary_key=True)
    key = fields.CharField(max_length=160, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="grants", on_delete=fields.CASCADE
    )
    user_id: int
    source = fields.CharField(max_length=16)
    campaign_id = fields.IntField(null=True)
    reward_id = fields.IntField(null=True)
    kind = fields.CharField(max_length=8)
    outcome = fields.CharField(max_length=16)
    pool_id = fields.IntField(null=True)
    cost = fields.BigIntField(default=0)
    grams = fields.BigIntField(default=0)
    prop_kind = fields.CharField(max_length=24, default="")
    quantity = fields.IntField(default=0)
    medal_name = fields.CharField(max_length=160, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "reward_grants"
        indexes = (("user_id", "id"), ("campaign_id", "created_at"), ("pool_id", "outcome"))


class VoucherStatus(StrEnum):
    """A voucher's stored status; `expired` is computed from the clock, never stored."""

    ISSUED = "issued"
    REDEEMED = "redeemed"
    VOID = "void"


class Voucher(Model):
    """A voucher worth `face_value_fen`, granted or bought, redeemable once before it expires."""

    id = fields.BigIntField(primary_key=True)
    code = fields.CharField(max_length=16, unique=True)
    # The pool that paid it, for a granted voucher; a voucher bought in the store has none.
    pool: fields.ForeignKeyNullableRelation[BudgetPool] = fields.ForeignKeyField(
        "models.BudgetPool", related_name="vouchers", on_delete=fields.CASCADE, null=True
    )
    pool_id: int | None
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="vouchers", on_delete=fields.CASCADE
    )
    owner_id: int
    grant_id = fields.BigIntField(null=True, unique=True)
    face_value_fen = fields.BigIntField()
    status = fields.CharEnumField(VoucherStatus, max_length=10, default=VoucherStatus.ISSUED)
    issued_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    redeemed_at = fields.DatetimeField(null=True)
    # The merchant that took it, set by merchant redemption.
    merchant_id = fields.IntField(null=True)
    # Only this merchant may take it (a merchant's own store item); any merchant when unset.
    redeemable_at_id = fields.IntField(null=True)
    # The store redemption that bought it, for a voucher from the store.
    store_redemption_id = fields.BigIntField(null=True, unique=True)
    # Set when an admin voids it (docs/store.md#voiding-a-voucher): who, when and why.
    voided_at = fields.DatetimeField(null=True)
    voided_by_id = fields.IntField(null=True)
    void_reason = fields.CharField(max_length=200, default="")

    class Meta:
        table = "reward_vouchers"
        indexes = (("owner_id", "id"),)


class MedalAward(Model):
    """A medal a player holds: one tier of a monthly medal, or a campaign's medal."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="medals", on_delete=fields.CASCADE
    )
    user_id: int
    code = fields.CharField(max_length=64)
    label = fields.CharField(max_length=16, default="")
    tier = fields.CharField(max_length=16, default="")
    name = fields.CharField(max_length=160)
    grams = fields.BigIntField(default=0)
    grant_id = fields.BigIntField(null=True, unique=True)
    awarded_at = fields.DatetimeField()

    class Meta:
        table = "medal_awards"
        unique_together = (("user_id", "code", "label", "tier"),)
