"""The carbon account in a player's export; it stays with the pseudonymised account on erasure,
because the energy it credited is on the ledger (docs/reliability.md#privacy)."""

from __future__ import annotations

from core.privacy import ExportPart, ExportRequest
from game.carbon.models import Action


async def export_actions(request: ExportRequest) -> ExportPart:
    """Every action credited to my carbon account."""
    actions = await Action.filter(user_id=request.user_id).order_by("id").values(
        "id", "scenario", "source", "external_id", "quantity", "credited_quantity", "grams",
        "occurred_at", "local_date", "bubble_id", "created_at",
    )  # fmt: skip
    return ExportPart("carbon_actions", actions)
