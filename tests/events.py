"""Reading the live events a player was sent, from the outbox (the record of every event)."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from core.events import OutboxEvent
from tests.players import Player


async def events_of(app: Litestar, player: Player, event_type: str) -> list[dict[str, Any]]:
    """The data of every event of one type recorded for the player, oldest first.

    Board gains wait a moment to reach the boards together (rank.changed comes from them), so
    the app's queued gains are put on the boards first.
    """
    await app.state.gains.flush()
    rows = await OutboxEvent.filter(user_id=player.id, type=event_type).order_by("id")
    return [dict(row.data) for row in rows]
