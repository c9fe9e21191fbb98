"""The energy ledger: every balance change is one appended row plus the balance update."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid
from core.hooks import Hook
from core.paging import keyset_page
from game.energy.models import EnergyAccount, LedgerEntry


@runtime_checkable
class EnergyGathered(Protocol):
    """Told, after the commit, of ledger entries that gathered energy (collect, steal, water).

    The leaderboards react to it; app/domains.py provides it to the controllers that gather.
    """

    async def __call__(self, entries: Sequence[LedgerEntry]) -> None:
        """React to committed entries."""
        ...


# Ledger kinds that count as energy the player gathered (the lifetime total and boards):
# their own bubbles collected by them or a friend, revived, stolen, and watering received.
GATHERING_KINDS = frozenset({"collect", "help_collect", "revive", "steal", "water_in"})

# Energy gathered (a collect, steal or watering-received row), fired inside the transaction
# that writes the row; campaigns count "energy collected" goals from it.
gathering_recorded: Hook[LedgerEntry] = Hook("energy.gathered")


class InsufficientEnergy(Conflict):
    """The balance does not cover the amount."""

    code = "insufficient-energy"
    title = "Not enough energy"


class AlreadyApplied(Conflict):
    """A ledger entry with this key exists: the change has happened already."""

    code = "already-applied"
    title = "This change has already been made"


async def open_account(conn: BaseDBAsyncClient, user_id: int) -> None:
    """Create a player's energy account if it does not exist yet."""
    await EnergyAccount.bulk_create(
        [EnergyAccount(user_id=user_id)], ignore_conflicts=True, using_db=conn
    )


async def apply_entry(
    conn: BaseDBAsyncClient,
    clock: Clock,
    *,
    user_id: int,
    delta: int,
    kind: str,
    key: str,
    bubble_id: int | None = None,
    reason: str = "",
) -> LedgerEntry:
    """Change a balance by `delta` and append its ledger row, inside the caller's transaction."""
    if await LedgerEntry.filter(key=key).using_db(conn).exists():
        raise AlreadyApplied(f"ledger key {key!r} was already applied")
    updates: dict[str, F | object] = {"balance": F("balance") + delta}
    if kind in GATHERING_KINDS:
        updates["lifetime_collected"] = F("lifetime_collected") + delta
    accounts = EnergyAccount.filter(user_id=user_id)
    if delta < 0:
        # The guard is in the UPDATE itself so concurrent spends cannot overdraw.
        accounts = accounts.filter(balance__gte=-delta)
    if await accounts.using_db(conn).update(**updates) == 0:
        raise InsufficientEnergy(f"the balance does not cover {-delta} g", needed=-delta)
    balance = await (
        EnergyAccount.filter(user_id=user_id).using_db(conn).values_list("balance", flat=True)
    )
    entry = await LedgerEntry.create(
        using_db=conn,
        user_id=user_id,
        delta=delta,
        balance_after=balance[0],
        kind=kind,
        key=key,
        bubble_id=bubble_id,
        reason=reason,
        created_at=clock.now(),
    )
    if kind in GATHERING_KINDS and delta > 0:
        await gathering_recorded.fire(conn, entry)
    return entry


async def lock_account(conn: BaseDBAsyncClient, user_id: int) -> None:
    """Hold the player's energy account row until the transaction ends.

    Rules that must see a player's own changes one at a time (crossing a medal threshold,
    completing a campaign) take this lock first, so they queue per player in one order.
    """
    await lock_accounts(conn, [user_id])


async def lock_accounts(conn: BaseDBAsyncClient, user_ids: Sequence[int]) -> None:
    """Lock several balances in one order (by user id) before changing them.

    Two players moving energy to each other at the same moment would otherwise each lock their
    own balance first and wait for the other's: a deadlock the database breaks by failing one.
    """
    await (
        EnergyAccount.filter(user_id__in=sorted(set(user_ids)))
        .using_db(conn)
        .order_by("user_id")
        .select_for_update()
    )


async def ledger_page(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[LedgerEntry], int | None]:
    """A page of a player's ledger, newest first, and the cursor of the next page."""
    return await keyset_page(
        LedgerEntry.filter(user_id=user_id), before_id, limit, newest_first=True
    )


class EmptyAdjustment(Invalid):
    """An adjustment must move some energy and say why."""

    code = "empty-adjustment"
    title = "An adjustment needs a non-zero amount and a reason"


async def adjust_energy(clock: Clock, user_id: int, grams: int, reason: str, key: str) -> int:
    """A support correction: one `adjustment` ledger row with its reason; returns the balance."""
    if grams == 0 or not reason.strip():
        raise EmptyAdjustment()
    async with in_transaction() as conn:
        entry = await apply_entry(
            conn,
            clock,
            user_id=user_id,
            delta=grams,
            kind="adjustment",
            key=f"adjustment:{key}",
            reason=reason.strip()[:280],
        )
    return int(entry.balance_after)


async def require_balance(user_id: int, grams: int) -> None:
    """Refuse early, before any quota or stock is touched, when the balance cannot cover `grams`.

    The spend itself is still guarded in its UPDATE; this only makes the refusal clear and cheap.
    """
    account = await EnergyAccount.get_or_none(user_id=user_id)
    if account is None or account.balance < grams:
        raise InsufficientEnergy(f"the balance does not cover {grams} g", needed=grams)


async def balance_of(user_id: int) -> int:
    """A player's balance (0 before their account exists)."""
    account = await EnergyAccount.get_or_none(user_id=user_id)
    return account.balance if account else 0
