"""Meters and readings in a player's export; erasure deletes the readings, which say how a home
lives hour by hour, and the meters' link to the player (docs/reliability.md#privacy)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest
from game.power.models import Meter, MeterReading


async def export_power(request: ExportRequest) -> ExportPart:
    """My meters and every reading of them (Wh per 15 minutes)."""
    meters = await Meter.filter(user_id=request.user_id).order_by("id")
    data = [
        {
            "source": meter.source,
            "meter_ref": meter.meter_ref,
            "readings": await MeterReading.filter(meter_id=meter.id)
            .order_by("interval_start")
            .values("interval_start", "wh", "revision"),
        }
        for meter in meters
    ]
    return ExportPart("power", data)


async def erase_power(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Delete the player's meters and their readings (corrections go with them)."""
    await Meter.filter(user_id=erasure.user_id).using_db(conn).delete()
