"""Per-player event channels on Redis streams through Litestar's channels plugin.

Every app process publishes to and subscribes from the same Redis streams, so an event raised on
process B reaches a socket held by process A. The events themselves come from the outbox (see
app/relay.py); a reconnecting client catches up from the outbox, not from Redis.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import structlog
from litestar.channels import ChannelsPlugin, Subscriber
from litestar.channels.backends.redis import RedisChannelsStreamBackend
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = structlog.get_logger("greenspark.realtime")

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


class ResilientStreamBackend(RedisChannelsStreamBackend):
    """The Redis streams backend, whose reading loop outlives a Redis outage.

    The plugin reads every subscribed stream in one loop; the stock backend lets a Redis error end
    that loop for good, so sockets would get nothing more until the process restarts. Here the
    loop waits a moment and reads again, from where it was: events published while Redis was
    away reach the relay's retry, and sockets get them once Redis is back.
    """

    retry_seconds = 1.0

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        """Yield (channel, event) pairs for ever, across Redis failures."""
        while True:
            try:
                async for item in super().stream_events():
                    yield item
            except (RedisError, OSError) as exc:
                log.warning("event stream paused; Redis refused", error=str(exc))
                await asyncio.sleep(self.retry_seconds)


def make_channels(redis: Redis, key_prefix: str) -> tuple[ChannelsPlugin, ResilientStreamBackend]:
    """A channels plugin on Redis streams, with bounded history and bounded backlogs."""
    backend = ResilientStreamBackend(
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
