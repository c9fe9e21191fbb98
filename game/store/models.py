"""Store items, store credit and its ledger, redemptions, merchants (docs/store.md)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class ItemKind(StrEnum):
    """What an item is: a merchant's voucher, goods sent to the player, or a donation."""

    VOUCHER = "voucher"
    GOODS = "goods"
    DONATION = "donation"


class Currency(StrEnum):
    """What an item's price is paid in: grams of energy, or store credit in fen."""

    ENERGY = "energy"
    CREDIT = "credit"


class Merchant(Model):
    """A shop that takes vouchers (a ride-hailing, food-delivery or second-hand platform)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "store_merchants"


class MerchantMember(Model):
    """A user with the merchant role who redeems vouchers for one merchant."""

    user_id = fields.IntField(primary_key=True)
    merchant: fields.ForeignKeyRelation[Merchant] = fields.ForeignKeyField(
        "models.Merchant", related_name="members", on_delete=fields.CASCADE
    )
    merchant_id: int

    class Meta:
        table = "store_merchant_members"


class StoreItem(Model):
    """An item on sale: its price, the stock left (initial = stock + sold), a per-player limit."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    description = fields.CharField(max_length=500, default="")
    kind = fields.CharEnumField(ItemKind, max_length=10)
    currency = fields.CharEnumField(Currency, max_length=8)
    price = fields.BigIntField()
    stock = fields.IntField()
    sold = fields.IntField(default=0)
    per_player_limit = fields.IntField()
    # For a voucher item: what the voucher is worth, how long it lasts, who takes it.
    voucher_value_fen = fields.BigIntField(default=0)
    voucher_valid_days = fields.IntField(default=0)
    merchant_id = fields.IntField(null=True)
    # Units added by restocks since the item was put on sale (the sum of its stock moves), so
    # the initial stock = stock + sold - restocked.
    restocked = fields.BigIntField(default=0)
    active = fields.BooleanField(default=True)
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "store_items"


class StockMove(Model):
    """One restock of an item, append-only, once per key (docs/store.md#managing-items)."""

    id = fields.BigIntField(primary_key=True)
    item: fields.ForeignKeyRelation[StoreItem] = fields.ForeignKeyField(
        "models.StoreItem", related_name="stock_moves", on_delete=fields.CASCADE
    )
    item_id: int
    quantity = fields.IntField()
    # The item's stock right after this move.
    stock_after = fields.BigIntField()
    key = fields.CharField(max_length=160, unique=True)
    by_user_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "store_stock_moves"
        indexes = (("item_id", "id"),)


class ItemHolding(Model):
    """How many of one item one player has redeemed, guarded against the per-player limit."""

    id = fields.BigIntField(primary_key=True)
    item_id = fields.IntField()
    user_id = fields.IntField()
    count = fields.IntField(default=0)

    class Meta:
        table = "store_item_holdings"
        unique_together = (("item_id", "user_id"),)


class Redemption(Model):
    """One item bought by one player at the price of the moment."""

    id = fields.BigIntField(primary_key=True)
    item: fields.ForeignKeyRelation[StoreItem] = fields.ForeignKeyField(
        "models.StoreItem", related_name="redemptions", on_delete=fields.CASCADE
    )
    item_id: int
    user: fields.ForeignKeyRelation[User] = player_link("store_redemptions")
    user_id: int
    currency = fields.CharEnumField(Currency, max_length=8)
    price = fields.BigIntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "store_redemptions"
        indexes = (("user_id", "id"),)


class CreditAccount(Model):
    """A player's store credit in fen (separate from energy): the sum of its ledger."""

    user_id = fields.IntField(primary_key=True)
    balance_fen = fields.BigIntField(default=0)

    class Meta:
        table = "store_credit_accounts"


class CreditEntry(Model):
    """One append-only change of store credit, once per key."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    delta = fields.BigIntField()
    balance_after = fields.BigIntField()
    kind = fields.CharField(max_length=16)
    key = fields.CharField(max_length=160, unique=True)
    reason = fields.CharField(max_length=280, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "store_credit_entries"
        indexes = (("user_id", "id"),)
