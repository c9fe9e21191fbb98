"""Power events in a player's export. Entries stay on erasure: the rewards they were paid
reconcile against them (docs/reliability.md#privacy)."""

from __future__ import annotations

from core.privacy import ExportPart, ExportRequest
from game.saving.events.models import PowerEventEntry


async def export_power_events(request: ExportRequest) -> ExportPart:
    """Each event I opted in to and its outcome."""
    data = await (
        PowerEventEntry.filter(user_id=request.user_id)
        .order_by("id")
        .values(
            "event_id", "event__name", "status", "joined_at", "baseline_wh", "actual_wh",
            "saved_wh", "co2_g", "reward_fen", "reward_outcome", "settled_at",
        )
    )  # fmt: skip
    return ExportPart("power_events", data)
