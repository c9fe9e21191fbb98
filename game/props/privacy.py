"""Props in a player's export; their ledger stays on erasure like the energy ledger."""

from __future__ import annotations

from core.privacy import ExportPart, ExportRequest
from game.props.models import PropEffect, PropLedger, PropStock


async def export_props(request: ExportRequest) -> ExportPart:
    """My prop stock, its ledger and the effects I used."""
    me = request.user_id
    data = {
        "stock": await PropStock.filter(user_id=me).values("kind", "quantity"),
        "ledger": await PropLedger.filter(user_id=me)
        .order_by("id")
        .values("kind", "delta", "quantity_after", "reason", "created_at"),
        "effects": await PropEffect.filter(user_id=me)
        .order_by("id")
        .values("kind", "starts_at", "ends_at"),
    }
    return ExportPart("props", data)
