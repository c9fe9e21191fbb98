"""Request and response shapes of the store, store credit, vouchers and merchants."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import Name
from game.rewards.grants import voucher_state
from game.rewards.models import Voucher
from game.store.models import CreditEntry, Merchant, StoreItem
from game.store.shelf import Redeemed

Count = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]


class ItemIn(msgspec.Struct, forbid_unknown_fields=True):
    """An item to put on sale; `price` is grams of energy or fen of store credit."""

    name: Name
    kind: Annotated[str, msgspec.Meta(pattern=r"^(voucher|goods|donation)$")]
    currency: Annotated[str, msgspec.Meta(pattern=r"^(energy|credit)$")]
    price: Annotated[int, msgspec.Meta(ge=1, le=10**12)]
    stock: Count
    per_player_limit: Annotated[int, msgspec.Meta(ge=1, le=1_000)] = 1
    description: Annotated[str, msgspec.Meta(max_length=500)] = ""
    voucher_value_fen: Annotated[int, msgspec.Meta(ge=0, le=10**9)] = 0
    voucher_valid_days: Annotated[int, msgspec.Meta(ge=0, le=3_650)] = 0
    merchant_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None


class ItemOut(msgspec.Struct):
    """An item on sale, the stock left and how many of it I have redeemed."""

    id: int
    name: str
    description: str
    kind: str
    currency: str
    price: int
    stock: int
    per_player_limit: int
    redeemed_by_me: int
    voucher_value_fen: int
    voucher_valid_days: int
    merchant_id: int | None


def item_out(item: StoreItem, mine: int) -> ItemOut:
    """Show an item."""
    return ItemOut(
        id=item.id, name=item.name, description=item.description, kind=str(item.kind),
        currency=str(item.currency), price=item.price, stock=item.stock,
        per_player_limit=item.per_player_limit, redeemed_by_me=mine,
        voucher_value_fen=item.voucher_value_fen, voucher_valid_days=item.voucher_valid_days,
        merchant_id=item.merchant_id,
    )  # fmt: skip


class RestockIn(msgspec.Struct, forbid_unknown_fields=True):
    """Units to add to an item's stock."""

    quantity: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]


class ItemPatchIn(msgspec.Struct, forbid_unknown_fields=True):
    """Take an item off sale (false) or put it back on sale (true)."""

    on_sale: bool


class ManagedItemOut(msgspec.Struct):
    """An item as store managers see it: on sale or not, stock, sold and restocked units."""

    id: int
    name: str
    kind: str
    currency: str
    price: int
    on_sale: bool
    stock: int
    sold: int
    restocked: int
    per_player_limit: int


def managed_item_out(item: StoreItem) -> ManagedItemOut:
    """Show an item to a store manager."""
    return ManagedItemOut(
        id=item.id, name=item.name, kind=str(item.kind), currency=str(item.currency),
        price=item.price, on_sale=item.active, stock=item.stock, sold=item.sold,
        restocked=item.restocked, per_player_limit=item.per_player_limit,
    )  # fmt: skip


class VoidIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why an admin voids a voucher (kept with it)."""

    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


class VoucherOut(msgspec.Struct):
    """A voucher: its code, value, where it may be used, its life and state."""

    code: str
    face_value_fen: int
    state: str
    issued_at: datetime
    expires_at: datetime
    redeemed_at: datetime | None
    redeemable_at: int | None
    merchant_id: int | None
    from_store: bool
    voided_at: datetime | None = None


def voucher_out(v: Voucher, now: datetime) -> VoucherOut:
    """Show a voucher with its state on the clock."""
    return VoucherOut(
        code=v.code, face_value_fen=v.face_value_fen, state=voucher_state(v, now),
        issued_at=v.issued_at, expires_at=v.expires_at, redeemed_at=v.redeemed_at,
        redeemable_at=v.redeemable_at_id, merchant_id=v.merchant_id,
        from_store=v.store_redemption_id is not None, voided_at=v.voided_at,
    )  # fmt: skip


class RedeemedOut(msgspec.Struct):
    """What a redemption bought: the item as it stands now and the voucher, if any."""

    redemption_id: int
    item: ItemOut
    price: int
    currency: str
    voucher: VoucherOut | None


def redeemed_out(done: Redeemed, mine: int, now: datetime) -> RedeemedOut:
    """Show a redemption."""
    r = done.redemption
    return RedeemedOut(
        redemption_id=r.id, item=item_out(done.item, mine), price=r.price,
        currency=str(r.currency),
        voucher=voucher_out(done.voucher, now) if done.voucher else None,
    )  # fmt: skip


class VouchersPage(msgspec.Struct):
    """A page of vouchers, newest first."""

    items: list[VoucherOut]
    next_cursor: str | None


class CreditEntryOut(msgspec.Struct):
    """One change of store credit."""

    id: int
    delta_fen: int
    balance_after_fen: int
    kind: str
    reason: str
    created_at: datetime


class CreditOut(msgspec.Struct):
    """My store credit and a page of its ledger."""

    balance_fen: int
    entries: list[CreditEntryOut]
    next_cursor: str | None


def credit_entry_out(e: CreditEntry) -> CreditEntryOut:
    """Show a store-credit ledger row."""
    return CreditEntryOut(e.id, e.delta, e.balance_after, e.kind, e.reason, e.created_at)


class MerchantIn(msgspec.Struct, forbid_unknown_fields=True):
    """A merchant to register."""

    name: Name


class MemberIn(msgspec.Struct, forbid_unknown_fields=True):
    """A user who will redeem vouchers for the merchant."""

    user_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]


class MerchantOut(msgspec.Struct):
    """A merchant."""

    id: int
    name: str
    created_at: datetime


def merchant_out(m: Merchant) -> MerchantOut:
    """Show a merchant."""
    return MerchantOut(m.id, m.name, m.created_at)
