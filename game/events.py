"""Live events for players (DESIGN §4 Realtime): rules publish them after their change commits.

Events are small JSON objects `{id, type, at, data}` delivered to one player's channel. They
are a notice, not the record: anything an event says can be read back from the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class EventSink(Protocol):
    """Where rules send events for a player."""

    async def publish(self, user_id: int, event_type: str, data: Mapping[str, Any]) -> None:
        """Send one event to one player, wherever they are connected."""
        ...


class NoEvents:
    """For commands that run without a server (seeding, support tools): events go nowhere."""

    async def publish(self, user_id: int, event_type: str, data: Mapping[str, Any]) -> None:
        """Drop the event."""
