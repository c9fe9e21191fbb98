"""Per-player event channels on Redis streams through Litestar's channels plugin.

Every app process publishes to and subscribes from the same Redis streams, so an event raised on
process B reaches a socket held by process A. Each player's stream keeps a bounded history that
lets a reconnecting client catch up from the last event id it saw.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Mapping
from typing import Any

import orjson
from litestar.channels import ChannelsPlugin, Subscriber
from litestar.channels.backends.redis import RedisChannelsStreamBackend
from redis.asyncio import Redis

from game.clock import Clock

HISTORY_PER_PLAYER = 200
HISTORY_TTL_SECONDS = 3600
SUBSCRIBER_BACKLOG = 256


def player_channel(user_id: int) -> str:
    """The channel carrying one player's events."""
    return f"player:{user_id}"


class BoundedSubscriber(Subscriber):
    """A subscriber whose backlog is capped; it remembers when it had to drop an event."""

    overflowed = False

    def put_nowait(self, item: bytes | None) -> bool:
        """Queue an event, or mark the subscriber as too slow when the backlog is full."""
        queued = super().put_nowait(item)
        if not queued:
            self.overflowed = True
        return queued

    def discard_backlog(self) -> None:
        """Drop queued events, so that unsubscribing (which queues a stop marker) cannot block."""
        while self.qsize:
            self._queue.get_nowait()
            self._queue.task_done()


def make_channels(
    redis: Redis, key_prefix: str
) -> tuple[ChannelsPlugin, RedisChannelsStreamBackend]:
    """A channels plugin on Redis streams, with bounded history and bounded backlogs."""
    backend = RedisChannelsStreamBackend(
        redis=redis,
        history=HISTORY_PER_PLAYER,
        stream_ttl=HISTORY_TTL_SECONDS * 1000,
        key_prefix=f"{key_prefix}channels",
        stream_sleep_no_subscriptions=100,
    )
    plugin = ChannelsPlugin(
        backend=backend,
        arbitrary_channels_allowed=True,
        subscriber_max_backlog=SUBSCRIBER_BACKLOG,
        subscriber_backlog_strategy="backoff",
        subscriber_class=BoundedSubscriber,
    )
    return plugin, backend


def event_id_floor(millis: int) -> str:
    """The largest id an event made at `millis` or earlier can have."""
    return f"{millis:013d}-99999-999999"


class EventIds:
    """Event ids that sort by time across processes: milliseconds, process id, counter."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._pid = os.getpid() % 100_000

    def next(self) -> str:
        """A new id; comparing two ids as strings orders them by creation time."""
        return (
            f"{time.time_ns() // 1_000_000:013d}-{self._pid:05d}-{next(self._counter) % 10**6:06d}"
        )


class ChannelEvents:
    """The EventSink of a running server: publishes to the player's Redis stream."""

    def __init__(self, channels: ChannelsPlugin, clock: Clock) -> None:
        self.channels = channels
        self.clock = clock
        self.ids = EventIds()

    async def publish(self, user_id: int, event_type: str, data: Mapping[str, Any]) -> None:
        """Send `{id, type, at, data}` to the player's channel."""
        event = {
            "id": self.ids.next(),
            "type": event_type,
            "at": self.clock.now().isoformat(),
            "data": dict(data),
        }
        await self.channels.wait_published(orjson.dumps(event), [player_channel(user_id)])
