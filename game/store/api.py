"""HTTP endpoints of the low-carbon store: the shelf, redeeming, my vouchers and store credit,
merchants taking vouchers, and store managers stocking items."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.guards import requires_role
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, IntId, Limit
from core.users import Role, User
from game.store.credit import credit_of, credit_page
from game.store.merchants import (
    attach_member,
    create_merchant,
    list_merchants,
    merchant_redemptions,
    my_vouchers,
    redeem_voucher,
    void_voucher,
)
from game.store.models import Currency, ItemKind
from game.store.schemas import (
    CreditOut,
    ItemIn,
    ItemOut,
    ItemPatchIn,
    ManagedItemOut,
    MemberIn,
    MerchantIn,
    MerchantOut,
    RedeemedOut,
    RestockIn,
    VoidIn,
    VoucherOut,
    VouchersPage,
    credit_entry_out,
    item_out,
    managed_item_out,
    merchant_out,
    redeemed_out,
    voucher_out,
)
from game.store.shelf import (
    NewItem,
    add_item,
    managed_items,
    redeem_item,
    restock_item,
    set_on_sale,
    shelf,
)

MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]
ADMINS = [requires_role(Role.ADMIN)]
MERCHANTS = [requires_role(Role.MERCHANT)]
STORE, MERCHANT = ["store"], ["store: merchants"]
Code = Annotated[str, Parameter(min_length=4, max_length=16, pattern=r"^[A-Za-z0-9]+$")]


class StoreController(Controller):
    """Items for energy or store credit, vouchers and the merchants that take them."""

    @get("/api/v1/store/items", summary="Items on sale", tags=STORE)
    async def items(self, request: Request[User, Any, Any]) -> list[ItemOut]:
        """Every item on sale with its price, the stock left and how many I have redeemed."""
        return [item_out(item, mine) for item, mine in await shelf(request.user.id)]

    @post(
        "/api/v1/store/items/{item_id:int}/redeem", summary="Redeem an item",
        status_code=HTTP_201_CREATED, opt={"idempotent": True}, tags=STORE,
    )  # fmt: skip
    async def redeem(
        self,
        request: Request[User, Any, Any],
        item_id: IntId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> RedeemedOut:
        """One unit, paid in energy or store credit; a voucher item issues a voucher code."""
        done = await redeem_item(clock, events, request.user.id, item_id)
        mine = [m for i, m in await shelf(request.user.id) if i.id == item_id]
        return redeemed_out(done, mine[0] if mine else 0, clock.now())

    @get("/api/v1/me/vouchers", summary="My vouchers", tags=STORE)
    async def my_vouchers(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> VouchersPage:
        """Every voucher I hold, granted or bought, newest first, with its state."""
        shown, last = await my_vouchers(request.user.id, decode_cursor(cursor), limit)
        now = clock.now()
        return VouchersPage([voucher_out(v, now) for v in shown], encode_cursor(last))

    @get("/api/v1/me/store-credit", summary="My store credit", tags=STORE)
    async def my_credit(
        self, request: Request[User, Any, Any], cursor: Cursor = None, limit: Limit = 20
    ) -> CreditOut:
        """My store credit in fen and its ledger, newest first."""
        entries, last = await credit_page(request.user.id, decode_cursor(cursor), limit)
        return CreditOut(
            await credit_of(request.user.id),
            [credit_entry_out(e) for e in entries],
            encode_cursor(last),
        )

    @post(
        "/api/v1/store/items", guards=MANAGERS, status_code=HTTP_201_CREATED,
        summary="Put an item on sale", tags=STORE,
    )  # fmt: skip
    async def add_item(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[ItemIn],
        clock: NamedDependency[Clock],
    ) -> ItemOut:
        """An item with a price, a stock and a per-player limit (store managers)."""
        given = NewItem(
            name=data.name, description=data.description, kind=ItemKind(data.kind),
            currency=Currency(data.currency), price=data.price, stock=data.stock,
            per_player_limit=data.per_player_limit, voucher_value_fen=data.voucher_value_fen,
            voucher_valid_days=data.voucher_valid_days, merchant_id=data.merchant_id,
        )  # fmt: skip
        return item_out(await add_item(clock, request.user.id, given), 0)

    @get(
        "/api/v1/store/managed-items", guards=MANAGERS, summary="Every item, on sale or not",
        tags=STORE,
    )  # fmt: skip
    async def managed_items(self) -> list[ManagedItemOut]:
        """Every item with its stock, sold and restocked units, and whether it is on sale."""
        return [managed_item_out(item) for item in await managed_items()]

    @post(
        "/api/v1/store/items/{item_id:int}/restock", guards=MANAGERS, status_code=HTTP_200_OK,
        summary="Restock an item", opt={"idempotent": True}, tags=STORE,
    )  # fmt: skip
    async def restock(
        self,
        request: Request[User, Any, Any],
        item_id: IntId,
        data: JSONBody[RestockIn],
        clock: NamedDependency[Clock],
    ) -> ManagedItemOut:
        """Add units to the stock; each restock is kept as a stock move."""
        return managed_item_out(await restock_item(clock, request.user.id, item_id, data.quantity))

    @patch(
        "/api/v1/store/items/{item_id:int}", guards=MANAGERS, summary="Take off or put on sale",
        tags=STORE,
    )  # fmt: skip
    async def change_item(self, item_id: IntId, data: JSONBody[ItemPatchIn]) -> ManagedItemOut:
        """Off sale, players neither see nor redeem the item; vouchers it issued stay good."""
        return managed_item_out(await set_on_sale(item_id, data.on_sale))

    @post(
        "/api/v1/admin/vouchers/{code:str}/void", guards=ADMINS, status_code=HTTP_200_OK,
        summary="Void a voucher", tags=MERCHANT,
    )  # fmt: skip
    async def void(
        self,
        request: Request[User, Any, Any],
        code: Code,
        data: JSONBody[VoidIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> VoucherOut:
        """No merchant may take it after; nothing is refunded. Voiding again changes nothing."""
        voucher = await void_voucher(clock, events, request.user.id, code, data.reason)
        return voucher_out(voucher, clock.now())

    @post(
        "/api/v1/admin/merchants", guards=ADMINS, status_code=HTTP_201_CREATED,
        summary="Register a merchant", tags=MERCHANT,
    )  # fmt: skip
    async def add_merchant(
        self, data: JSONBody[MerchantIn], clock: NamedDependency[Clock]
    ) -> MerchantOut:
        """A merchant that takes vouchers."""
        return merchant_out(await create_merchant(clock, data.name))

    @get("/api/v1/admin/merchants", guards=ADMINS, summary="Merchants", tags=MERCHANT)
    async def merchants(self) -> list[MerchantOut]:
        """Every merchant."""
        return [merchant_out(m) for m in await list_merchants()]

    @post(
        "/api/v1/admin/merchants/{merchant_id:int}/members", guards=ADMINS,
        status_code=HTTP_200_OK, summary="Attach a merchant user", tags=MERCHANT,
    )  # fmt: skip
    async def add_member(self, merchant_id: IntId, data: JSONBody[MemberIn]) -> MerchantOut:
        """The user gets the merchant role and redeems vouchers for this merchant."""
        await attach_member(merchant_id, data.user_id)
        return merchant_out(next(m for m in await list_merchants() if m.id == merchant_id))

    @post(
        "/api/v1/merchant/vouchers/{code:str}/redeem", guards=MERCHANTS,
        status_code=HTTP_200_OK, summary="Take a voucher", tags=MERCHANT,
        opt={"idempotent": True},
    )  # fmt: skip
    async def take_voucher(
        self,
        request: Request[User, Any, Any],
        code: Code,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> VoucherOut:
        """Redeem a voucher code exactly once at my merchant."""
        voucher = await redeem_voucher(clock, events, request.user.id, code)
        return voucher_out(voucher, clock.now())

    @get(
        "/api/v1/merchant/redemptions", guards=MERCHANTS, summary="My merchant's redemptions",
        tags=MERCHANT,
    )  # fmt: skip
    async def redemptions(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> VouchersPage:
        """The vouchers my merchant has taken, newest first."""
        shown, last = await merchant_redemptions(request.user.id, decode_cursor(cursor), limit)
        now = clock.now()
        return VouchersPage([voucher_out(v, now) for v in shown], encode_cursor(last))
