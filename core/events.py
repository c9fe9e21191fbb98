"""Live events for players, written to an outbox in the same transaction as the change.

Rules call `events.publish(conn, user_id, type, data)` inside the transaction that makes the
change, so the event exists exactly when the change does. A relay sends committed events to the
players' live channels afterwards and retries until Redis takes them: events are delayed, never
lost, and never the reason a committed request fails. Each event carries the id of its outbox row,
so a client that is sent one twice can tell. See docs/realtime.md.

Every recorded event also fires `event_recorded` in the same transaction, so a domain that keeps
its own record of events (the notification inbox) reacts exactly when the event exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from core.clock import Clock
from core.db import after_commit, in_transaction, run_after_commit_together
from core.hooks import Hook


class OutboxEvent(Model):
    """One event for one player, with when the relay handed it to Redis (null until then)."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    type = fields.CharField(max_length=48)
    data: fields.JSONField[dict[str, Any]] = fields.JSONField()
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_events"
        indexes = (("sent_at", "id"), ("user_id", "id"))


@runtime_checkable
class EventSink(Protocol):
    """Where rules record events for players."""

    async def publish(
        self,
        conn: BaseDBAsyncClient | None,
        user_id: int,
        event_type: str,
        data: Mapping[str, Any],
    ) -> None:
        """Record one event for one player, inside the caller's transaction when `conn` is given."""
        ...


@dataclass(frozen=True)
class RecordedEvent:
    """An event just written to the outbox, and the sink that wrote it (for follow-up events)."""

    event: OutboxEvent
    sink: EventSink


# Fired inside the transaction that records each event; app/domains.py connects the reactions.
event_recorded: Hook[RecordedEvent] = Hook("event_recorded")


DeliverNow = Callable[[list[OutboxEvent]], Awaitable[None]]


class OutboxEvents:
    """The EventSink everywhere: an outbox row now, delivery right after the commit.

    With `deliver_now`, the events a transaction recorded are handed over together as soon as
    it commits (one Redis round trip for the request that made them), and it wakes the relay
    afterwards, which marks them sent and publishes whatever that first attempt did not deliver.
    Without it, `wake` wakes the relay after the commit and the relay publishes.
    """

    def __init__(
        self,
        clock: Clock,
        wake: Callable[[], None] | None = None,
        deliver_now: DeliverNow | None = None,
    ) -> None:
        self.clock = clock
        self.wake = wake
        self.deliver_now = deliver_now

    async def publish(
        self,
        conn: BaseDBAsyncClient | None,
        user_id: int,
        event_type: str,
        data: Mapping[str, Any],
    ) -> None:
        """Insert the event's outbox row and fire `event_recorded`; wake the relay after commit.

        Without `conn` the row and the reactions get a transaction of their own.
        """
        if conn is None:
            async with in_transaction() as own:
                await self._record(own, user_id, event_type, data)
        else:
            await self._record(conn, user_id, event_type, data)
        if self.wake is not None and self.deliver_now is None:
            after_commit(self.wake)

    async def _record(
        self, conn: BaseDBAsyncClient, user_id: int, event_type: str, data: Mapping[str, Any]
    ) -> None:
        event = await self._insert(conn, user_id, event_type, data)
        if self.deliver_now is not None:
            await run_after_commit_together("events", event, self.deliver_now)
        await event_recorded.fire(conn, RecordedEvent(event, self))

    async def _insert(
        self, conn: BaseDBAsyncClient, user_id: int, event_type: str, data: Mapping[str, Any]
    ) -> OutboxEvent:
        event = await OutboxEvent.create(
            using_db=conn,
            user_id=user_id,
            type=event_type,
            data=dict(data),
            created_at=self.clock.now(),
        )
        return event
