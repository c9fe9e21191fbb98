"""Gains reach the boards in batches, off the request path (docs/leaderboards.md)."""

from __future__ import annotations

import asyncio

import pytest

from tests.events import events_of


@pytest.fixture
def settings(settings):
    """The production default: gains wait up to 50 ms to reach the boards together."""
    return settings.model_copy(update={"board_batch_seconds": 0.05})


async def test_a_player_reads_their_own_gain_at_once(client, players):
    ada = await players.new()
    await players.earn(ada, 40)
    board = await client.get("/api/v1/leaderboards/energy", headers=ada.headers)
    assert board.status_code == 200
    assert board.json()["me"]["score"] == 40


async def test_gains_reach_the_boards_without_a_read(app, client, players, settings):
    ada, bo = await players.new(), await players.new()
    await players.earn(ada, 30)
    await players.earn(bo, 20)
    key = f"{settings.redis_prefix}lb:{{energy:all:all:global}}"
    redis = app.state.redis
    async with asyncio.timeout(5):  # real time: the background pass runs every 50 ms
        while await redis.zcard(key) < 2:  # noqa: ASYNC110  (another task writes it)
            await asyncio.sleep(0.02)
    ranked = await redis.zrevrange(key, 0, -1)
    assert ranked == [str(ada.id), str(bo.id)]


async def test_gains_in_one_batch_overtake_a_friend_once(app, client, players):
    ada, bo = await players.new(), await players.new()
    await players.befriend(ada, bo)
    await players.earn(bo, 100)
    await app.state.gains.flush()
    await players.earn(ada, 60)
    await players.earn(ada, 50)
    await players.earn(ada, 50)
    notices = await events_of(app, bo, "rank.changed")
    assert len(notices) == 1
    assert notices[0]["overtaken_by"] == ada.id
    assert notices[0]["your_score"] == 100
    assert notices[0]["their_score"] in (110, 160)
