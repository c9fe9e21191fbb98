"""The store in a player's export. Redemptions and the store-credit ledger stay on erasure,
like the energy ledger: stock and balances reconcile against them (docs/reliability.md#privacy).
A merchant user's membership goes with the account."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest
from game.store.models import CreditAccount, CreditEntry, MerchantMember, Redemption


async def export_store(request: ExportRequest) -> ExportPart:
    """My redemptions, my store credit and its ledger."""
    me = request.user_id
    account = await CreditAccount.get_or_none(user_id=me)
    data = {
        "redemptions": await Redemption.filter(user_id=me)
        .order_by("id")
        .values("item_id", "item__name", "currency", "price", "created_at"),
        "store_credit_fen": account.balance_fen if account else 0,
        "store_credit_ledger": await CreditEntry.filter(user_id=me)
        .order_by("id")
        .values("delta", "balance_after", "kind", "reason", "created_at"),
    }
    return ExportPart("store", data)


async def erase_store(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """A merchant user no longer redeems for their merchant."""
    await MerchantMember.filter(user_id=erasure.user_id).using_db(conn).delete()
