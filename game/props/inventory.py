"""Prop rules: grant, use, and ask whether a prop is in effect (docs/rules.md#props)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid, NotFound
from game.props.models import PropEffect, PropLedger, PropStock


class PropKind(StrEnum):
    """The props there are."""

    PROTECTION_COVER = "protection_cover"
    DOUBLE_COLLECT = "double_collect"
    REVIVE_CARD = "revive_card"


# Props spent by another action instead of being put in effect (a revive card revives a bubble).
SPENT_BY_ACTION = frozenset({PropKind.REVIVE_CARD})


class UnknownProp(NotFound):
    """No prop has that name."""

    code = "unknown-prop"
    title = "Unknown prop"


class NoPropLeft(Conflict):
    """The player holds none of this prop."""

    code = "no-prop-left"
    title = "You have none of this prop"


class PropNotUsable(Invalid):
    """This prop is spent by an action of its own, not put in effect."""

    code = "prop-not-usable"
    title = "This prop is spent by another action"


class BadGrant(Invalid):
    """Grants are of at least one prop, with a reason."""

    code = "invalid-prop-grant"
    title = "A grant needs a positive quantity and a reason"


class GrantAlreadyMade(Conflict):
    """A grant with this key has been made already."""

    code = "prop-grant-already-made"
    title = "This grant has already been made"


@dataclass(frozen=True)
class Inventory:
    """What a player holds and what is in effect for them."""

    stock: dict[str, int]
    active_until: dict[str, datetime]


def prop_kind(name: str) -> PropKind:
    """The prop named `name`, or UnknownProp."""
    try:
        return PropKind(name)
    except ValueError:
        raise UnknownProp(f"no prop is called {name!r}") from None


async def _change_stock(
    conn: BaseDBAsyncClient,
    clock: Clock,
    *,
    user_id: int,
    kind: PropKind,
    delta: int,
    key: str,
    reason: str,
) -> int:
    await PropStock.bulk_create(
        [PropStock(user_id=user_id, kind=kind, quantity=0)], ignore_conflicts=True, using_db=conn
    )
    stock = PropStock.filter(user_id=user_id, kind=kind)
    if delta < 0:
        stock = stock.filter(quantity__gte=-delta)
    if await stock.using_db(conn).update(quantity=F("quantity") + delta) == 0:
        raise NoPropLeft(f"you have no {kind}")
    row = await PropStock.filter(user_id=user_id, kind=kind).using_db(conn).get()
    await PropLedger.create(
        using_db=conn,
        user_id=user_id,
        kind=kind,
        delta=delta,
        quantity_after=row.quantity,
        reason=reason,
        key=key,
        created_at=clock.now(),
    )
    return int(row.quantity)


async def grant_prop(
    clock: Clock, user_id: int, kind: PropKind, quantity: int, reason: str, key: str
) -> int:
    """Give a player props (support, rewards); returns how many they hold now."""
    if quantity <= 0 or not reason.strip():
        raise BadGrant()
    async with in_transaction() as conn:
        return await add_props(
            conn, clock, user_id=user_id, kind=kind, quantity=quantity,
            key=f"grant:{key}", reason=reason.strip()[:280],
        )  # fmt: skip


async def add_props(
    conn: BaseDBAsyncClient,
    clock: Clock,
    *,
    user_id: int,
    kind: PropKind,
    quantity: int,
    key: str,
    reason: str,
) -> int:
    """Add props to a stock inside the caller's transaction, once per ledger `key` (rewards)."""
    if await PropLedger.filter(key=key).using_db(conn).exists():
        raise GrantAlreadyMade()
    return await _change_stock(
        conn, clock, user_id=user_id, kind=kind, delta=quantity, key=key, reason=reason
    )


async def use_prop(clock: Clock, user_id: int, kind: PropKind, effect: timedelta) -> PropEffect:
    """Spend one prop; its effect starts now, or extends one already running."""
    if kind in SPENT_BY_ACTION:
        raise PropNotUsable(f"a {kind} is spent by the action it is for")
    now = clock.now()
    async with in_transaction() as conn:
        running = (
            await PropEffect.filter(user_id=user_id, kind=kind, ends_at__gt=now)
            .using_db(conn)
            .order_by("-ends_at")
            .first()
        )
        starts_at = running.ends_at if running else now
        used = await PropEffect.create(
            using_db=conn, user_id=user_id, kind=kind, starts_at=starts_at,
            ends_at=starts_at + effect,
        )  # fmt: skip
        await _change_stock(
            conn, clock, user_id=user_id, kind=kind, delta=-1,
            key=f"use:{used.id}", reason="used",
        )  # fmt: skip
    return used


async def spend_prop(
    conn: BaseDBAsyncClient, clock: Clock, *, user_id: int, kind: PropKind, key: str, reason: str
) -> int:
    """Take one prop from the stock inside the caller's transaction; returns what is left."""
    return await _change_stock(
        conn, clock, user_id=user_id, kind=kind, delta=-1, key=key, reason=reason
    )


async def prop_active(
    user_id: int, kind: PropKind, now: datetime, conn: BaseDBAsyncClient | None = None
) -> bool:
    """Whether a prop of this kind is in effect for the player at `now`."""
    query = PropEffect.filter(user_id=user_id, kind=kind, starts_at__lte=now, ends_at__gt=now)
    return bool(await query.using_db(conn).exists())


async def inventory(clock: Clock, user_id: int) -> Inventory:
    """A player's props and the effects running now."""
    now = clock.now()
    stock = {k.value: 0 for k in PropKind}
    for row in await PropStock.filter(user_id=user_id):
        stock[row.kind] = int(row.quantity)
    active: dict[str, datetime] = {}
    for effect in await PropEffect.filter(user_id=user_id, ends_at__gt=now):
        if effect.starts_at <= now:
            active[effect.kind] = max(effect.ends_at, active.get(effect.kind, effect.ends_at))
    # A chain of back-to-back effects counts as one that ends when the last one does.
    for effect in await PropEffect.filter(user_id=user_id, starts_at__gt=now).order_by("starts_at"):
        if effect.kind in active and effect.starts_at <= active[effect.kind]:
            active[effect.kind] = effect.ends_at
    return Inventory(stock=stock, active_until=active)
