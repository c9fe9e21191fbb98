"""Pick-ups in a player's export; erasure blanks the address (completed pick-ups stay, with the
energy they credited) (docs/reliability.md#privacy)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest
from game.recycling.models import Pickup


async def export_pickups(request: ExportRequest) -> ExportPart:
    """Every pick-up I booked."""
    data = await (
        Pickup.filter(user_id=request.user_id)
        .order_by("id")
        .values(
            "slot_id", "address", "kinds", "estimated_kg", "status", "weighed_kg", "grams",
            "booked_at", "completed_at", "cancelled_at",
        )
    )  # fmt: skip
    return ExportPart("pickups", data)


async def erase_pickups(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Blank the addresses of the player's pick-ups."""
    await Pickup.filter(user_id=erasure.user_id).using_db(conn).update(address="")
