"""HTTP endpoint of the partner call audit log (admins)."""

from __future__ import annotations

from litestar import Controller, get

from core.guards import requires_role
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, IntId, Limit
from game.partners.gate.audit import calls_page
from game.partners.gate.schemas import CallPage, call_out


class CallsController(Controller):
    """Every call a partner made, served or refused."""

    tags = ["partners: admin"]

    @get(
        "/api/v1/admin/partners/{partner_id:int}/calls",
        guards=[requires_role()],
        summary="A partner's calls, newest first",
    )
    async def calls(self, partner_id: IntId, cursor: Cursor = None, limit: Limit = 20) -> CallPage:
        """Audit rows: key, time, body digest and size, outcome, counts by status, grams."""
        rows, next_id = await calls_page(partner_id, decode_cursor(cursor), limit)
        return CallPage(items=[call_out(c) for c in rows], next_cursor=encode_cursor(next_id))
