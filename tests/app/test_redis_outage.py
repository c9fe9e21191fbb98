"""Redis stops while the app serves: committed changes answer 2xx and replay; reads that need
Redis answer 503 with Retry-After; events wait in the outbox and go out when Redis is back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from app.domains import reconcile
from app.main import create_app, lifespan
from core.events import OutboxEvent
from game.forest.models import Watering
from game.trees.plantings.models import Planting
from game.trees.welfare.models import Donation
from tests.conftest import _empty_database
from tests.faults import BreakableRedis
from tests.game.trees.test_trees import set_up_project
from tests.game.trees.welfare.test_welfare import open_welfare
from tests.players import Players


@pytest.fixture
async def world(
    settings, clock
) -> AsyncIterator[tuple[httpx.AsyncClient, Players, BreakableRedis]]:
    """The app on a Redis of its own that the test may stop."""
    from app.db import close_database, open_database

    await open_database(settings.resolved_database_url)
    await _empty_database()
    await close_database()
    server = BreakableRedis()
    app = create_app(
        settings.model_copy(update={"redis_url": server.url, "redis_timeout_seconds": 1.0}),
        clock,
    )
    try:
        async with lifespan(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                yield http, Players(http, clock), server
    finally:
        server.close()


async def _until(condition, seconds: float = 15.0) -> None:
    """Wait for a real process (Redis, the relay) to catch up; not game time."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)


async def test_committed_changes_answer_2xx_and_replay_while_redis_is_down(world):
    client, players, redis_server = world
    ada, bo = await players.new("ada"), await players.new("bob")
    await players.befriend(ada, bo)
    await players.grant(ada, 40_000)
    project = await set_up_project(client, players)
    _, welfare = await open_welfare(client, players)
    stealable = await players.ripe_bubble(bo)
    collectable = await players.ripe_bubble(ada)
    redis_server.stop()

    calls = [
        (f"/api/v1/friends/{bo.id}/water", {"grams": 10}, "water"),
        (f"/api/v1/welfare-projects/{welfare['id']}/donate", {"grams": 500}, "donate"),
        ("/api/v1/plantings", {"species": "saxaul", "project_id": project["id"]}, "plant"),
        (f"/api/v1/bubbles/{stealable['id']}/steal", None, "steal"),
        (f"/api/v1/bubbles/{collectable['id']}/collect", None, "collect"),
    ]
    for path, body, key in calls:
        headers = {**ada.headers, "Idempotency-Key": f"outage-{key}"}
        first = await client.post(path, json=body, headers=headers)
        assert first.status_code in (200, 201), (path, first.text)
        for _ in range(2):
            again = await client.post(path, json=body, headers=headers)
            assert again.status_code == first.status_code, again.text
            assert again.headers["idempotent-replayed"] == "true"
            assert again.json() == first.json()
    assert await Watering.filter(giver_id=ada.id).count() == 1
    assert await Donation.filter(user_id=ada.id).count() == 1
    assert await Planting.all().count() == 1
    assert await reconcile() == []
    waiting = await OutboxEvent.filter(sent_at__isnull=True).count()
    assert waiting >= 4  # watered, stolen, planting allocated, donation made

    redis_server.start()

    async def all_sent() -> bool:
        return not await OutboxEvent.filter(sent_at__isnull=True).exists()

    await _until(all_sent)
    assert project["id"]


async def test_reads_that_need_redis_answer_503_then_recover(world):
    client, players, redis_server = world
    ada = await players.new("ada")
    redis_server.stop()
    login = await client.post(
        "/api/v1/auth/login", json={"username": "ada", "password": "correct horse battery"}
    )
    assert login.status_code == 503, login.text
    assert login.headers["content-type"] == "application/problem+json"
    assert login.json()["type"] == "/problems/redis-unavailable"
    assert int(login.headers["retry-after"]) >= 1
    board = await client.get("/api/v1/leaderboards/energy", headers=ada.headers)
    assert board.status_code == 503
    assert board.json()["type"] == "/problems/redis-unavailable"
    ready = await client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"] != "ok"
    # Writes whose truth is the database keep working.
    cup = await players.report(ada)
    assert cup.status_code == 201, cup.text

    redis_server.start()
    # The pooled connections are stale now; the very first request on them must not fail.
    again = await client.post(
        "/api/v1/auth/login", json={"username": "ada", "password": "correct horse battery"}
    )
    assert again.status_code == 200, again.text
    assert (await client.get("/api/v1/leaderboards/energy", headers=ada.headers)).status_code == 200
    assert (await client.get("/ready")).status_code == 200


async def test_a_frozen_redis_cannot_hang_a_request(world):
    client, players, redis_server = world
    ada = await players.new("ada")
    redis_server.freeze()
    try:
        started = asyncio.get_running_loop().time()
        board = await client.get("/api/v1/leaderboards/energy", headers=ada.headers)
        assert board.status_code == 503
        assert asyncio.get_running_loop().time() - started < 5
        assert (await players.report(ada)).status_code == 201
    finally:
        redis_server.thaw()
    assert (await client.get("/api/v1/leaderboards/energy", headers=ada.headers)).status_code == 200


async def test_live_events_flow_again_after_redis_comes_back(world):
    """The process's subscription outlives the outage: no restart needed for sockets."""
    client, players, redis_server = world
    router = client._transport.app.state.router
    ada = await players.new("ada")
    async with router.subscription(ada.id) as subscriber:
        redis_server.stop()
        await asyncio.sleep(1.5)  # let the reader meet the outage (a real process, not game time)
        redis_server.start()
        async with asyncio.timeout(15):
            await router.connected.wait()  # subscribed again (sockets are told to catch up)
        event = orjson.dumps({"id": "1", "type": "test.after-outage", "at": "", "data": {}})
        await router.publish([(ada.id, event)])
        async with asyncio.timeout(15):
            async for raw in subscriber.events():
                assert orjson.loads(raw)["type"] == "test.after-outage"
                break
