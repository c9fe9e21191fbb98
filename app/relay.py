"""The outbox relay: sends committed events to the players' live channels, until Redis has them.

Every app process and the worker run one. A relay wakes when its own process commits an event
(and polls for events committed elsewhere), takes a batch of unsent rows with
`FOR UPDATE SKIP LOCKED` so relays in other processes take other rows, publishes them, and
marks them sent in the same transaction. If Redis refuses, the transaction rolls back and the
batch is tried again after a pause: delivery is at least once, and events carry their outbox id
so a client drops a repeat. Sent rows are kept for a while so a reconnecting client can catch up
from the database (see app/ws.py), then purged.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

import orjson
import structlog
from redis.exceptions import RedisError

from app.metrics import OUTBOX_LAG
from core.clock import Clock
from core.db import in_transaction
from core.events import OutboxEvent

log = structlog.get_logger("greenspark.relay")

Deliver = Callable[[Sequence[tuple[int, bytes]]], Awaitable[None]]
BATCH = 200
EARLY_LIMIT = 100_000


def event_json(row: OutboxEvent) -> bytes:
    """The event as players receive it: `{id, type, at, data}`, id being the outbox row's."""
    return orjson.dumps(
        {"id": str(row.id), "type": row.type, "at": row.created_at.isoformat(), "data": row.data}
    )


class OutboxRelay:
    """Moves committed outbox rows to live delivery; one per process."""

    def __init__(
        self,
        clock: Clock,
        deliver: Deliver,
        poll_seconds: float = 0.5,
        retry_seconds: float = 1.0,
    ) -> None:
        self.clock = clock
        self.deliver = deliver
        self.poll_seconds = poll_seconds
        self.retry_seconds = retry_seconds
        # Events the request that made them already handed to Redis, for the relay to mark.
        self.published_early: set[int] = set()
        # Events a request is handing to Redis right now: a pass leaves them to the next one,
        # or it would publish them a second time while the request's publish is under way.
        self.in_flight: set[int] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._stopped = asyncio.Event()

    def wake(self) -> None:
        """Ask for a pass now (called after a transaction with events commits)."""
        self._wake.set()

    async def deliver_now(self, rows: list[OutboxEvent]) -> None:
        """Publish a committed transaction's events at once; the next pass only marks them.

        The relay is woken only afterwards (so it does not publish them a second time); a
        failure leaves them to that pass, as if this had not been tried.
        """
        ids = [row.id for row in rows]
        self.in_flight.update(ids)
        try:
            await self.deliver([(row.user_id, event_json(row)) for row in rows])
            if len(self.published_early) > EARLY_LIMIT:
                # Rows another process's relay took and marked: never seen here again.
                self.published_early.clear()
            self.published_early.update(ids)
        finally:
            self.in_flight.difference_update(ids)
            self.wake()

    async def relay_batch(self) -> int:
        """Publish one batch of unsent events and mark them sent; returns how many."""
        async with in_transaction() as conn:
            found = (
                await OutboxEvent.filter(sent_at__isnull=True)
                .using_db(conn)
                .order_by("id")
                .limit(BATCH)
                .select_for_update(skip_locked=True)
            )
            if not found:
                OUTBOX_LAG.set(0)
                return 0
            OUTBOX_LAG.set(max(0.0, (self.clock.now() - found[0].created_at).total_seconds()))
            # The end of a request's publish wakes the relay again to mark what it sent.
            rows = [row for row in found if row.id not in self.in_flight]
            if not rows:
                return 0
            early = self.published_early
            await self.deliver(
                [(row.user_id, event_json(row)) for row in rows if row.id not in early]
            )
            early.difference_update(row.id for row in rows)
            await (
                OutboxEvent.filter(id__in=[row.id for row in rows])
                .using_db(conn)
                .update(sent_at=self.clock.now())
            )
        return len(rows)

    async def drain(self) -> int:
        """Relay until nothing is left; returns how many events went out."""
        total = 0
        while sent := await self.relay_batch():
            total += sent
        return total

    async def _run(self) -> None:
        while not self._stopping:
            # asyncio.timeout rather than wait_for: on Python 3.11 wait_for can swallow the
            # cancellation that stops this loop when the event fires at the same moment.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                await self.drain()
            except (RedisError, OSError) as exc:
                log.warning("event relay paused; Redis refused", error=str(exc))
                await self._pause()
            except Exception as exc:  # the relay must outlive any one bad pass
                log.error("event relay pass failed", exc_info=exc)
                await self._pause()

    async def _pause(self) -> None:
        """Wait before retrying, unless asked to stop."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.retry_seconds):
                await self._stopped.wait()

    def start(self) -> None:
        """Run in the background of this process's event loop."""
        if self._task is None:
            self._stopping = False
            self._stopped.clear()
            self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Stop the background loop, then send what is already committed when possible."""
        if self._task is None:
            return
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        try:
            async with asyncio.timeout(10):
                await self._task
        except TimeoutError:
            self._task.cancel()
        self._task = None
        with contextlib.suppress(Exception):
            async with asyncio.timeout(5):
                await self.drain()


async def purge_sent_events(clock: Clock, keep: timedelta) -> int:
    """Delete events sent longer ago than `keep`; returns how many."""
    return int(await OutboxEvent.filter(sent_at__lt=clock.now() - keep).delete())
