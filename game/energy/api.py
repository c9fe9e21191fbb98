"""HTTP endpoints of energy: collecting a ripe bubble, and the ledger."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK

from core.clock import Clock
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit, RowId
from core.users import User
from game.energy.bubbles import collect_bubble
from game.energy.ledger import EnergyGathered, ledger_page
from game.energy.schemas import CollectOut, LedgerPageOut, bubble_out, ledger_entry_out


class EnergyController(Controller):
    """Collecting bubbles, and the energy ledger."""

    tags = ["forest"]

    @post(
        "/api/v1/bubbles/{bubble_id:int}/collect",
        status_code=HTTP_200_OK,
        summary="Collect a ripe bubble",
        opt={"idempotent": True, "hot_path": True},
    )
    async def collect(
        self,
        request: Request[User, Any, Any],
        bubble_id: RowId,
        clock: NamedDependency[Clock],
        energy_gathered: NamedDependency[EnergyGathered],
    ) -> CollectOut:
        """Move what is left in one of my ripe bubbles to my balance."""
        result = await collect_bubble(clock, request.user.id, bubble_id)
        await energy_gathered([result.entry])
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
