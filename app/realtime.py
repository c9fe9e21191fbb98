"""Per-player event channels on Redis streams through Litestar's channels plugin.

Every app process publishes to and subscribes from the same Redis streams, so an event raised on
process B reaches a socket held by process A. The events themselves come from the outbox (see
app/relay.py); a reconnecting client catches up from the outbox, not from Redis.
"""

from __future__ import annotations

from litestar.channels import ChannelsPlugin, Subscriber
from litestar.channels.backends.redis import RedisChannelsStreamBackend
from redis.asyncio import Redis

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
