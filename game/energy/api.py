"""HTTP endpoints of the forest: bubbles, collecting, the ledger."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK

from app.auth.models import User
from app.params import Cursor, Limit, RowId
from game.clock import Clock
from game.energy.bubbles import collect_bubble, forest_of
from game.energy.ledger import ledger_page
from game.energy.schemas import (
    CollectOut,
    ForestOut,
    LedgerPageOut,
    bubble_out,
    ledger_entry_out,
)
from game.events import EventSink
from game.leaderboards.energy import Boards
from game.leaderboards.gains import record_gains
from game.paging import decode_cursor, encode_cursor
from game.trees.forest import forest_tree


class EnergyController(Controller):
    """The owner's forest, collecting bubbles, and the energy ledger."""

    tags = ["forest"]

    @get("/api/v1/forest/me", summary="My forest")
    async def my_forest(
        self, request: Request[User, Any, Any], clock: NamedDependency[Clock]
    ) -> ForestOut:
        """Balance, lifetime total, and bubbles with their state at this moment."""
        forest = await forest_of(clock, request.user.id)
        return ForestOut(
            user_id=forest.user_id,
            balance=forest.balance,
            lifetime_collected=forest.lifetime_collected,
            now=forest.now,
            bubbles=[bubble_out(b, forest.now) for b in forest.bubbles],
            tree=await forest_tree(forest.user_id, forest.balance),
        )

    @post(
        "/api/v1/bubbles/{bubble_id:int}/collect",
        status_code=HTTP_200_OK,
        summary="Collect a ripe bubble",
        opt={"idempotent": True},
    )
    async def collect(
        self,
        request: Request[User, Any, Any],
        bubble_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        boards: NamedDependency[Boards],
    ) -> CollectOut:
        """Move what is left in one of my ripe bubbles to my balance."""
        result = await collect_bubble(clock, request.user.id, bubble_id)
        await record_gains(boards, clock, events, [result.entry])
        return CollectOut(
            bubble=bubble_out(result.bubble, clock.now()),
            collected=result.entry.delta,
            balance=result.entry.balance_after,
            ledger_entry_id=result.entry.id,
        )

    @get("/api/v1/me/energy/ledger", summary="My energy ledger")
    async def my_ledger(
        self,
        request: Request[User, Any, Any],
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> LedgerPageOut:
        """Every change of my balance, newest first, with cursor pagination."""
        rows, next_id = await ledger_page(request.user.id, decode_cursor(cursor), limit)
        return LedgerPageOut(
            items=[ledger_entry_out(r) for r in rows], next_cursor=encode_cursor(next_id)
        )
