"""The fault suite: real processes, our own PostgreSQL and Redis, faults under concurrent load.

After each fault: no gram or stock unit created, lost or applied twice (reconcile and per-key
counts), every committed request replays its outcome, and service resumes without restarting
the app processes. Run by `.ci/run` as its own step (`pytest -m faults`); docs/reliability.md
lists each fault, what the service does and what a client sees.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx
import pytest

from core.events import OutboxEvent
from tests.app.faults.conftest import World
from tests.app.faults.load import Call, assert_exactly_once, fire, round_of_calls, settle

pytestmark = pytest.mark.faults

ALL_CALLS: list[Call] = []


async def _ready(world: World, index: int) -> bool:
    async with httpx.AsyncClient(base_url=world.servers[index].base, timeout=5) as http:
        try:
            return (await http.get("/ready")).status_code == 200
        except httpx.HTTPError:
            return False


async def _until(check, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "the service did not come back"
        await asyncio.sleep(0.2)  # waiting for real processes


async def _under_load(world: World, fault, servers: list[int] | None = None) -> list[Call]:
    """Fire two rounds of calls while `fault()` happens in the middle."""
    calls = round_of_calls(world) + round_of_calls(world)
    half = len(calls) // 2
    first = asyncio.create_task(fire(world, calls[:half], servers))
    await asyncio.sleep(0.05)
    await fault()
    await fire(world, calls[half:], servers)
    await first
    ALL_CALLS.extend(calls)
    return calls


async def _board(world: World, index: int = 0) -> int:
    hub = next(iter(world.tokens))
    async with httpx.AsyncClient(base_url=world.servers[index].base, timeout=10) as http:
        response = await http.get("/api/v1/leaderboards/energy", headers=world.headers(hub))
    return response.status_code


async def test_redis_stopped_under_load(world: World):
    async def stop() -> None:
        world.redis.stop()

    calls = await _under_load(world, stop)
    # Writes whose truth is the database never noticed.
    assert all(c.first is not None and c.first < 500 for c in calls), [
        (c.key, c.first, c.first_body[:200]) for c in calls if c.first is None or c.first >= 500
    ]
    assert await _board(world) == 503
    waiting = await OutboxEvent.filter(sent_at__isnull=True).count()
    assert waiting > 0  # watered events wait in the outbox
    world.redis.start()

    async def delivered() -> bool:
        return not await OutboxEvent.filter(sent_at__isnull=True).exists()

    await _until(delivered)
    await _until(lambda: _board_ok(world))
    await settle(world, calls, [0, 1])
    await assert_exactly_once(ALL_CALLS)


async def _board_ok(world: World) -> bool:
    return await _board(world) == 200 and await _board(world, 1) == 200


async def test_redis_frozen_under_load(world: World):
    async def freeze() -> None:
        world.redis.freeze()

    started = time.monotonic()
    try:
        calls = await _under_load(world, freeze)
        # Nothing hangs: every answer came within the Redis timeout and some margin.
        assert time.monotonic() - started < 20
        assert all(c.first is not None and c.first < 500 for c in calls)
        assert await _board(world) == 503
    finally:
        world.redis.thaw()
    await _until(lambda: _board_ok(world))
    await settle(world, calls, [0, 1])
    await assert_exactly_once(ALL_CALLS)


async def test_redis_flushed_under_load(world: World):
    async def flush() -> None:
        world.redis.flushall()

    calls = await _under_load(world, flush)
    assert all(c.first is not None and c.first < 500 for c in calls)
    await _until(lambda: _board_ok(world))  # the boards rebuild by themselves
    await settle(world, calls, [0, 1])
    await assert_exactly_once(ALL_CALLS)


async def test_postgres_restarted_under_load(world: World):
    async def restart() -> None:
        await asyncio.to_thread(world.pg.restart)

    calls = await _under_load(world, restart)
    # Some requests failed while the database was away; those answers were 503 problems.
    for call in calls:
        if call.first is not None and call.first >= 500:
            assert call.first == 503, call.first_body[:300]
    await _until(lambda: _ready(world, 0))
    await _until(lambda: _ready(world, 1))
    await settle(world, calls, [0, 1])
    await assert_exactly_once(ALL_CALLS)


async def test_an_app_process_and_the_worker_killed_under_load(world: World):
    victim = world.servers[1]

    async def kill() -> None:
        os.kill(victim.process.pid, signal.SIGKILL)
        world.kill_worker()

    calls = await _under_load(world, kill)
    victim.process.wait()
    # The other process goes on; the cut-off keys are retried there.
    assert await _ready(world, 0)
    await settle(world, calls, [0])
    await assert_exactly_once(ALL_CALLS)
    # A supervisor starts the worker again; events recorded meanwhile go out.
    world.start_worker()
    fresh = round_of_calls(world)
    await fire(world, fresh, [0])
    ALL_CALLS.extend(fresh)
    await settle(world, fresh, [0])

    async def delivered() -> bool:
        return not await OutboxEvent.filter(sent_at__isnull=True).exists()

    await _until(delivered)
    await assert_exactly_once(ALL_CALLS)
