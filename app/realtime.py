"""Live events: one Redis subscription per process, routed to the players' sockets in memory.

The relay publishes every committed event once, on one Redis pub/sub channel, prefixed with the
player's id (`<user id> <event json>`). Each process holds one subscription to that channel and
a table of the sockets it serves by player; an event for a player with no socket here is
dropped at the cost of one dictionary lookup. So an idle process reads nothing, a socket costs
no Redis work, and an event costs one PUBLISH whatever the number of processes or sockets.

Pub/sub delivers at most once: when the subscription breaks (Redis restarted, say), events
published meanwhile never arrive. Each subscriber is therefore asked to catch up once the
subscription is back (`resync`): a player's socket replays, from the outbox in the database,
what was sent after the last event it forwarded. Events stay exactly once per socket by id.
See docs/realtime.md#how-events-travel.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError

from app.metrics import EVENTS_DELIVERED, EVENTS_PUBLISHED

log = structlog.get_logger("greenspark.realtime")

HISTORY_PER_PLAYER = 200
SUBSCRIBER_BACKLOG = 256
EVENTS_CHANNEL = "{}events"


class Subscriber(Protocol):
    """Something that takes one player's events: a socket, or a test's queue."""

    def push(self, raw: bytes) -> None:
        """Take one event (never blocks)."""
        ...

    def resync(self) -> None:
        """The subscription was broken for a while: catch up on what may have been missed."""
        ...


class Queue:
    """A bounded queue of one player's events, for tests and tools that read them directly."""

    def __init__(self) -> None:
        self.items: deque[bytes] = deque(maxlen=SUBSCRIBER_BACKLOG)
        self.arrived = asyncio.Event()

    def push(self, raw: bytes) -> None:
        """Keep the event and wake the reader."""
        self.items.append(raw)
        self.arrived.set()

    def resync(self) -> None:
        """Nothing to catch up from: a queue only sees what arrives."""

    async def events(self) -> AsyncIterator[bytes]:
        """Events as they arrive."""
        while True:
            while self.items:
                yield self.items.popleft()
            self.arrived.clear()
            await self.arrived.wait()


class EventRouter:
    """The process's one subscription, and the players' subscribers it feeds."""

    def __init__(self, publisher: Redis, listener: Redis, prefix: str) -> None:
        self.publisher = publisher
        self.listener = listener
        self.channel = EVENTS_CHANNEL.format(prefix)
        self.subscribers: dict[int, set[Subscriber]] = {}
        self.connected = asyncio.Event()
        self.delivered = 0
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ publishing

    async def publish(self, events: Sequence[tuple[int, bytes]]) -> None:
        """Publish a batch of (player id, event json) in one round trip (the relay's delivery)."""
        if not events:
            return
        pipe = self.publisher.pipeline(transaction=False)
        for user_id, payload in events:
            pipe.publish(self.channel, b"%d %s" % (user_id, payload))
        await pipe.execute()
        EVENTS_PUBLISHED.inc(len(events))

    # ------------------------------------------------------------------ subscribers

    def add(self, user_id: int, subscriber: Subscriber) -> None:
        """Route the player's events to this subscriber too."""
        self.subscribers.setdefault(user_id, set()).add(subscriber)

    def discard(self, user_id: int, subscriber: Subscriber) -> None:
        """Stop routing to this subscriber."""
        found = self.subscribers.get(user_id)
        if found is not None:
            found.discard(subscriber)
            if not found:
                del self.subscribers[user_id]

    @contextlib.asynccontextmanager
    async def subscription(self, user_id: int) -> AsyncIterator[Queue]:
        """A queue of the player's events while the block runs."""
        queue = Queue()
        self.add(user_id, queue)
        try:
            yield queue
        finally:
            self.discard(user_id, queue)

    @property
    def socket_count(self) -> int:
        """Subscribers served by this process."""
        return sum(len(s) for s in self.subscribers.values())

    def route(self, message: bytes) -> None:
        """Hand one published event to the player's subscribers here, if any."""
        head, _, payload = message.partition(b" ")
        try:
            user_id = int(head)
        except ValueError:
            return
        for subscriber in tuple(self.subscribers.get(user_id, ())):
            subscriber.push(payload)
            self.delivered += 1
            EVENTS_DELIVERED.inc()

    # ------------------------------------------------------------------ the subscription

    def start(self) -> None:
        """Subscribe in the background of this process's event loop."""
        if self._task is None:
            self._task = asyncio.create_task(self._listen(), name="event-router")

    async def stop(self) -> None:
        """Unsubscribe."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        self.connected.clear()

    async def _listen(self) -> None:
        first = True
        while True:
            try:
                async with self.listener.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    self.connected.set()
                    if not first:
                        for subscribers in tuple(self.subscribers.values()):
                            for subscriber in tuple(subscribers):
                                subscriber.resync()
                    first = False
                    async for message in pubsub.listen():
                        data = message.get("data")
                        if isinstance(data, bytes):
                            self.route(data)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                log.warning("event subscription broken; retrying", error=str(exc))
            except Exception as exc:  # the subscription must outlive any one bad message
                log.error("event subscription failed; retrying", exc_info=exc)
            finally:
                self.connected.clear()
            first = False
            await asyncio.sleep(1.0)
