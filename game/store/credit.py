"""Store credit: a balance in fen kept by an append-only ledger, like energy but separate
(docs/store.md#store-credit)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.errors import Conflict
from core.paging import keyset_page
from game.store.models import CreditAccount, CreditEntry


class InsufficientCredit(Conflict):
    """The store credit does not cover the price."""

    code = "insufficient-store-credit"
    title = "Not enough store credit"


async def apply_credit(
    conn: BaseDBAsyncClient,
    clock: Clock,
    *,
    user_id: int,
    delta: int,
    kind: str,
    key: str,
    reason: str = "",
) -> CreditEntry | None:
    """Change store credit by `delta` once per key (None when that key was applied already)."""
    if await CreditEntry.filter(key=key).using_db(conn).exists():
        return None
    await CreditAccount.bulk_create(
        [CreditAccount(user_id=user_id)], ignore_conflicts=True, using_db=conn
    )
    accounts = CreditAccount.filter(user_id=user_id)
    if delta < 0:
        # The guard is in the UPDATE itself, so concurrent purchases cannot overdraw.
        accounts = accounts.filter(balance_fen__gte=-delta)
    if await accounts.using_db(conn).update(balance_fen=F("balance_fen") + delta) == 0:
        raise InsufficientCredit(f"the store credit does not cover {-delta} fen", needed=-delta)
    account = await CreditAccount.filter(user_id=user_id).using_db(conn).get()
    return await CreditEntry.create(
        using_db=conn, user_id=user_id, delta=delta, balance_after=account.balance_fen,
        kind=kind, key=key, reason=reason[:280], created_at=clock.now(),
    )  # fmt: skip


async def credit_of(user_id: int) -> int:
    """A player's store credit in fen (0 before they ever had any)."""
    account = await CreditAccount.get_or_none(user_id=user_id)
    return account.balance_fen if account else 0


async def credit_page(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[CreditEntry], int | None]:
    """A page of a player's store-credit ledger, newest first, and the next cursor."""
    return await keyset_page(
        CreditEntry.filter(user_id=user_id), before_id, limit, newest_first=True
    )
