"""Reading the live events a player was sent, from their channel's history in Redis."""

from __future__ import annotations

from typing import Any

import orjson
from litestar import Litestar

from app.realtime import player_channel
from tests.players import Player


async def events_of(app: Litestar, player: Player, event_type: str) -> list[dict[str, Any]]:
    """The data of every event of one type in the player's channel history, oldest first."""
    # Read the stream's history without subscribing, as a reconnecting client would be sent.
    backend = app.state.channels._backend
    history = await backend.get_history(player_channel(player.id), 200)
    events = [orjson.loads(raw) for raw in history]
    return [e["data"] for e in events if e["type"] == event_type]
