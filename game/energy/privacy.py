"""Energy in a player's export. Nothing is erased: the ledger and bubbles keep every gram
accounted for under the pseudonymised account (docs/reliability.md#privacy)."""

from __future__ import annotations

from core.privacy import ExportPart, ExportRequest
from game.energy.models import Bubble, EnergyAccount, LedgerEntry


async def export_energy(request: ExportRequest) -> ExportPart:
    """My balance, my bubbles and my ledger."""
    account = await EnergyAccount.filter(user_id=request.user_id).values(
        "balance", "lifetime_collected"
    )
    bubbles = await Bubble.filter(owner_id=request.user_id).order_by("id").values(
        "id", "scenario", "rule", "amount", "remaining", "collected", "stolen", "expired",
        "local_date", "created_at", "ripens_at", "expires_at",
    )  # fmt: skip
    ledger = (
        await LedgerEntry.filter(user_id=request.user_id)
        .order_by("id")
        .values("id", "delta", "balance_after", "kind", "bubble_id", "reason", "created_at")
    )
    data = {"account": account[0] if account else None, "bubbles": bubbles, "ledger": ledger}
    return ExportPart("energy", data)
