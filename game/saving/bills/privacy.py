"""Bills in a player's export. Households and bills stay on erasure: the vouchers their pool
paid reconcile against them (docs/reliability.md#privacy)."""

from __future__ import annotations

from core.privacy import ExportPart, ExportRequest
from game.saving.bills.models import Bill, BillHousehold


async def export_bills(request: ExportRequest) -> ExportPart:
    """My households in bill-drop programmes and every bill with its outcome."""
    households = await BillHousehold.filter(user_id=request.user_id).order_by("id")
    data = [
        {
            "programme_id": h.programme_id,
            "account_ref": h.account_ref,
            "bills": await Bill.filter(household_id=h.id)
            .order_by("month")
            .values("month", "amount_fen", "wh", "outcome", "drop_fen"),
        }
        for h in households
    ]
    return ExportPart("bills", data)
