"""The outbox relay publishes each committed event once from a process: a request's own publish
and the relay's pass never both send it (docs/realtime.md#how-events-travel)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from app.db import close_database, open_database
from app.relay import OutboxRelay
from core.events import OutboxEvent, OutboxEvents
from tests.conftest import _empty_database


@pytest.fixture
async def database(settings) -> AsyncIterator[None]:
    """The database alone, emptied: no app, so no relay but the test's own."""
    await open_database(settings.resolved_database_url)
    await _empty_database()
    try:
        yield
    finally:
        await close_database()


async def test_a_pass_leaves_an_event_a_request_is_publishing_to_it(database, clock):
    published: list[tuple[int, bytes]] = []
    publishing, release = asyncio.Event(), asyncio.Event()

    async def deliver(batch: list[tuple[int, bytes]]) -> None:
        published.extend(batch)
        if not publishing.is_set():  # the request's publish, still on its way to Redis
            publishing.set()
            await release.wait()

    relay = OutboxRelay(clock, deliver)
    await OutboxEvents(clock).publish(None, 7, "bubble.ripe", {"bubble_id": 1, "grams": 5})
    row = await OutboxEvent.get(user_id=7)
    request = asyncio.create_task(relay.deliver_now([row]))
    await publishing.wait()

    assert await relay.relay_batch() == 0  # left to the next pass, not sent a second time
    assert len(published) == 1
    assert (await OutboxEvent.get(id=row.id)).sent_at is None

    release.set()
    await request
    assert await relay.relay_batch() == 1  # marked sent, not published again
    assert len(published) == 1
    assert (await OutboxEvent.get(id=row.id)).sent_at == clock.now()


async def test_an_event_whose_early_publish_failed_goes_out_with_the_next_pass(database, clock):
    published: list[tuple[int, bytes]] = []
    failing = True

    async def deliver(batch: list[tuple[int, bytes]]) -> None:
        if failing:
            raise ConnectionError("Redis went away")
        published.extend(batch)

    relay = OutboxRelay(clock, deliver)
    await OutboxEvents(clock).publish(None, 7, "bubble.ripe", {"bubble_id": 1, "grams": 5})
    row = await OutboxEvent.get(user_id=7)
    with pytest.raises(ConnectionError):
        await relay.deliver_now([row])
    failing = False
    assert await relay.relay_batch() == 1
    assert [user for user, _ in published] == [7]
    assert (await OutboxEvent.get(id=row.id)).sent_at is not None
