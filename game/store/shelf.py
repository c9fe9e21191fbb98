"""The store's shelf: items, and redeeming one atomically (docs/store.md#redeeming).

Every guard is inside an UPDATE: the per-player count (`count < limit`), the stock
(`stock > 0`) and the balance (`balance >= price`). Whichever fails, the transaction rolls back
and nothing changes, so 300 players racing for the last 100 items get exactly 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid, NotFound
from core.events import EventSink
from core.ids import new_code
from game.energy.ledger import apply_entry
from game.rewards.models import Voucher
from game.store.credit import apply_credit
from game.store.models import (
    Currency,
    ItemHolding,
    ItemKind,
    Merchant,
    Redemption,
    StockMove,
    StoreItem,
)

# The energy ledger kind of a store purchase paid in energy.
PURCHASE_KIND = "store_purchase"
# The most units an item may hold in stock (its column is a 32-bit integer).
MAX_STOCK = 10_000_000


class ItemNotFound(NotFound):
    """No such item on sale."""

    code = "store-item-not-found"
    title = "Store item not found"


class OutOfStock(Conflict):
    """Every unit of the item is gone."""

    code = "store-item-out-of-stock"
    title = "This item is out of stock"


class PerPlayerLimitReached(Conflict):
    """The player has redeemed as many of this item as one player may."""

    code = "store-item-limit-reached"
    title = "You have redeemed as many of this item as allowed"


class InvalidItem(Invalid):
    """The item's fields do not fit together (a voucher needs a value and a life)."""

    code = "invalid-store-item"
    title = "Invalid store item"


class ManagedItemNotFound(NotFound):
    """No such item, on sale or not (what a store manager changes)."""

    code = "store-item-not-found"
    title = "Store item not found"


class StockTooLarge(Invalid):
    """A restock would take the stock above what an item may hold."""

    code = "store-stock-too-large"
    title = "The stock would be too large"


@dataclass(frozen=True)
class NewItem:
    """An item a store manager puts on sale."""

    name: str
    description: str
    kind: ItemKind
    currency: Currency
    price: int
    stock: int
    per_player_limit: int
    voucher_value_fen: int = 0
    voucher_valid_days: int = 0
    merchant_id: int | None = None


async def add_item(clock: Clock, by_user_id: int, given: NewItem) -> StoreItem:
    """Put an item on sale; a voucher item needs a value, a life in days and a merchant."""
    if given.kind == ItemKind.VOUCHER:
        if given.voucher_value_fen <= 0 or given.voucher_valid_days <= 0:
            raise InvalidItem("a voucher item needs voucher_value_fen and voucher_valid_days")
        if given.merchant_id is None or not await Merchant.exists(id=given.merchant_id):
            raise InvalidItem("a voucher item names the merchant that takes it")
    elif given.voucher_value_fen or given.voucher_valid_days:
        raise InvalidItem("only a voucher item has a voucher value and life")
    return await StoreItem.create(
        name=given.name, description=given.description, kind=given.kind,
        currency=given.currency, price=given.price, stock=given.stock,
        per_player_limit=given.per_player_limit, voucher_value_fen=given.voucher_value_fen,
        voucher_valid_days=given.voucher_valid_days, merchant_id=given.merchant_id,
        created_by_id=by_user_id, created_at=clock.now(),
    )  # fmt: skip


async def shelf(user_id: int) -> list[tuple[StoreItem, int]]:
    """Every item on sale, with how many of each this player has redeemed."""
    items = list(await StoreItem.filter(active=True).order_by("id"))
    held = dict(
        await ItemHolding.filter(user_id=user_id, item_id__in=[i.id for i in items]).values_list(
            "item_id", "count"
        )
    )
    return [(item, int(held.get(item.id, 0))) for item in items]


@dataclass(frozen=True)
class Redeemed:
    """A redemption, the item as it stands after it, and the voucher it issued, if any."""

    redemption: Redemption
    item: StoreItem
    voucher: Voucher | None


async def redeem_item(clock: Clock, events: EventSink, user_id: int, item_id: int) -> Redeemed:
    """Buy one unit of an item: within the player's limit, from the stock, paid from a balance."""
    now = clock.now()
    async with in_transaction() as conn:
        item = await StoreItem.filter(id=item_id, active=True).using_db(conn).first()
        if item is None:
            raise ItemNotFound(f"no store item {item_id} on sale")
        await ItemHolding.bulk_create(
            [ItemHolding(item_id=item_id, user_id=user_id)], ignore_conflicts=True, using_db=conn
        )
        counted = (
            await ItemHolding.filter(
                item_id=item_id, user_id=user_id, count__lt=item.per_player_limit
            )
            .using_db(conn)
            .update(count=F("count") + 1)
        )
        if not counted:
            raise PerPlayerLimitReached(
                f"at most {item.per_player_limit} per player", limit=item.per_player_limit
            )
        taken = (
            await StoreItem.filter(id=item_id, stock__gt=0)
            .using_db(conn)
            .update(stock=F("stock") - 1, sold=F("sold") + 1)
        )
        if not taken:
            raise OutOfStock(f"store item {item_id} is sold out")
        redemption = await Redemption.create(
            using_db=conn, item_id=item_id, user_id=user_id, currency=item.currency,
            price=item.price, created_at=now,
        )  # fmt: skip
        key, reason = f"store:{redemption.id}", f"store: {item.name}"
        if item.currency == Currency.ENERGY:
            await apply_entry(
                conn, clock, user_id=user_id, delta=-item.price, kind=PURCHASE_KIND, key=key,
                reason=reason,
            )  # fmt: skip
        else:
            await apply_credit(
                conn, clock, user_id=user_id, delta=-item.price, kind="purchase", key=key,
                reason=reason,
            )  # fmt: skip
        voucher = None
        if item.kind == ItemKind.VOUCHER:
            voucher = await Voucher.create(
                using_db=conn, code=new_code(), owner_id=user_id,
                face_value_fen=item.voucher_value_fen, issued_at=now,
                expires_at=now + timedelta(days=item.voucher_valid_days),
                redeemable_at_id=item.merchant_id, store_redemption_id=redemption.id,
            )  # fmt: skip
        await item.refresh_from_db(using_db=conn)
        await events.publish(
            conn, user_id, "store.redeemed",
            {"item_id": item.id, "name": item.name, "redemption_id": redemption.id,
             "voucher_code": voucher.code if voucher else None},
        )  # fmt: skip
    return Redeemed(redemption, item, voucher)


async def restock_item(clock: Clock, by_user_id: int, item_id: int, quantity: int) -> StoreItem:
    """Add units to an item's stock with its stock move, in one transaction.

    The stock rises in an UPDATE (`stock = stock + n`), so it adds to whatever redemptions
    racing it left; `restocked` and the move keep initial stock = stock + sold - restocked.
    """
    async with in_transaction() as conn:
        added = (
            await StoreItem.filter(id=item_id, stock__lte=MAX_STOCK - quantity)
            .using_db(conn)
            .update(stock=F("stock") + quantity, restocked=F("restocked") + quantity)
        )
        if not added:
            if await StoreItem.filter(id=item_id).using_db(conn).exists():
                raise StockTooLarge(f"at most {MAX_STOCK} units in stock", max_stock=MAX_STOCK)
            raise ManagedItemNotFound(f"no store item {item_id}")
        item = await StoreItem.filter(id=item_id).using_db(conn).get()
        await StockMove.create(
            using_db=conn, item_id=item_id, quantity=quantity, stock_after=item.stock,
            key=f"restock:{item_id}:{uuid4().hex}", by_user_id=by_user_id,
            created_at=clock.now(),
        )  # fmt: skip
    return item


async def set_on_sale(item_id: int, on_sale: bool) -> StoreItem:
    """Take an item off sale (players no longer see or redeem it) or put it back on sale."""
    if not await StoreItem.filter(id=item_id).update(active=on_sale):
        raise ManagedItemNotFound(f"no store item {item_id}")
    return await StoreItem.get(id=item_id)


async def managed_items() -> list[StoreItem]:
    """Every item, on sale or not, oldest first (what store managers see)."""
    return list(await StoreItem.all().order_by("id"))
