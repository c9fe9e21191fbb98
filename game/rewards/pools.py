"""Budget pools: a total, a unit cost, spent and remaining, and a ledger of every change.

A pool pays one unit cost per grant. The guard is in the UPDATE itself
(`remaining >= unit_cost`), so however many grants race for the last units, a pool is never
overspent: the grant that finds too little gets the outcome `pool-exhausted` instead.
See docs/rules.md#budget-pools.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid, NotFound
from game.rewards.models import BudgetPool, PoolEntry, PoolStatus, PoolUnit

DrawOutcome = Literal["granted", "pool-exhausted", "pool-closed"]


class PoolNotFound(NotFound):
    """No such budget pool."""

    code = "reward-pool-not-found"
    title = "Budget pool not found"


class PoolClosed(Conflict):
    """The pool takes no more grants or funding."""

    code = "reward-pool-closed"
    title = "This budget pool is closed"


class PoolUnitMismatch(Invalid):
    """The reward cannot be paid in this pool's unit (vouchers need a pool in fen)."""

    code = "reward-pool-unit-mismatch"
    title = "This reward cannot be paid from a pool in that unit"


@dataclass(frozen=True)
class NewPool:
    """What a campaign manager gives to open a pool."""

    name: str
    sponsor: str
    unit: PoolUnit
    unit_cost: int
    total: int


async def create_pool(clock: Clock, creator_id: int, given: NewPool) -> BudgetPool:
    """Open a pool with its first funding, recorded as the pool's first ledger row."""
    async with in_transaction() as conn:
        pool = await BudgetPool.create(
            using_db=conn, name=given.name, sponsor=given.sponsor, unit=given.unit,
            unit_cost=given.unit_cost, total=given.total, remaining=given.total,
            created_by_id=creator_id, created_at=clock.now(),
        )  # fmt: skip
        await PoolEntry.create(
            using_db=conn, pool_id=pool.id, kind="fund", amount=given.total,
            key=f"fund:{pool.id}:opening", by_user_id=creator_id, reason="opening budget",
            created_at=clock.now(),
        )  # fmt: skip
    return pool


async def fund_pool(clock: Clock, by_user_id: int, pool_id: int, amount: int) -> BudgetPool:
    """Add budget to an open pool (a live campaign may always get more to pay out)."""
    async with in_transaction() as conn:
        pool = await BudgetPool.filter(id=pool_id).using_db(conn).select_for_update().first()
        if pool is None:
            raise PoolNotFound(f"no budget pool {pool_id}")
        if pool.status != PoolStatus.OPEN:
            raise PoolClosed()
        await (
            BudgetPool.filter(id=pool_id)
            .using_db(conn)
            .update(total=F("total") + amount, remaining=F("remaining") + amount)
        )
        await PoolEntry.create(
            using_db=conn, pool_id=pool_id, kind="fund", amount=amount,
            key=f"fund:{pool_id}:{uuid.uuid4().hex}", by_user_id=by_user_id,
            reason="budget added", created_at=clock.now(),
        )  # fmt: skip
        await pool.refresh_from_db(using_db=conn)
    return pool


async def set_pool_status(pool_id: int, status: PoolStatus) -> BudgetPool:
    """Close a pool to further grants and funding, or open it again."""
    if await BudgetPool.filter(id=pool_id).update(status=status) == 0:
        raise PoolNotFound(f"no budget pool {pool_id}")
    return await BudgetPool.get(id=pool_id)


async def get_pool(pool_id: int) -> BudgetPool:
    """One pool, or PoolNotFound."""
    pool = await BudgetPool.get_or_none(id=pool_id)
    if pool is None:
        raise PoolNotFound(f"no budget pool {pool_id}")
    return pool


async def list_pools() -> list[BudgetPool]:
    """Every pool, newest first (at most 500)."""
    return list(await BudgetPool.all().order_by("-id").limit(500))


async def usable_pool(pool_id: int, needs_fen: bool) -> BudgetPool:
    """A pool a new reward may name: it exists, is open, and pays in fen when `needs_fen`."""
    pool = await get_pool(pool_id)
    if pool.status != PoolStatus.OPEN:
        raise PoolClosed(f"budget pool {pool_id} is closed", pool_id=pool_id)
    if needs_fen and pool.unit != PoolUnit.FEN:
        raise PoolUnitMismatch("a voucher is paid from a pool in fen", pool_id=pool_id)
    return pool


async def draw_unit(
    conn: BaseDBAsyncClient, pool_id: int, amount: int | None = None
) -> tuple[DrawOutcome, BudgetPool, int]:
    """Spend one unit cost of the pool (or `amount`, for grants worth what they measured, such
    as a bill-drop voucher) inside the caller's transaction, if it has that much left."""
    pool = await BudgetPool.filter(id=pool_id).using_db(conn).get()
    cost = pool.unit_cost if amount is None else amount
    drawn = (
        await BudgetPool.filter(id=pool_id, status=PoolStatus.OPEN, remaining__gte=cost)
        .using_db(conn)
        .update(remaining=F("remaining") - cost, spent=F("spent") + cost)
    )
    if drawn:
        return "granted", pool, cost
    return ("pool-closed" if pool.status != PoolStatus.OPEN else "pool-exhausted"), pool, 0


async def record_draw(
    conn: BaseDBAsyncClient, clock: Clock, pool: BudgetPool, grant_id: int, cost: int
) -> None:
    """The pool's ledger row for a grant it paid."""
    await PoolEntry.create(
        using_db=conn, pool_id=pool.id, kind="grant", amount=cost,
        key=f"grant:{grant_id}", grant_id=grant_id, created_at=clock.now(),
    )  # fmt: skip
