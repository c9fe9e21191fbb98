"""Leaderboards: order and ties, pages, around me, periods by the clock, scopes, rebuilds."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis as SyncRedis
from redis.asyncio import Redis

from app.domains import reconcile
from core.events import OutboxEvent
from core.settings import Settings
from tests.servers import run_cli

URL = "/api/v1/leaderboards/energy"


def _own_database(url: str, index: int) -> str:
    """The same Redis server, another logical database (so FLUSHDB touches only our keys)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return urlunsplit(parts._replace(query=f"db={index}"))
    return urlunsplit(parts._replace(path=f"/{index}"))


@pytest.fixture(scope="module")
def redis_db_index(redis_url, redis_prefix):
    """A database index of this module's own (9..15, never the shared 0); our keys go after.

    A cluster has database 0 only; the cluster test job's cluster is the run's own (0 there).
    """
    if Settings().redis_cluster:
        yield 0
        return
    index = random.randint(9, 15)
    yield index
    # A TCP URL's own /db wins over db=, so name the database in the URL; unix URLs take db=.
    url = redis_url if redis_url.startswith("unix") else _own_database(redis_url, index)
    client = SyncRedis.from_url(url, db=index)
    for key in client.scan_iter(match=f"{redis_prefix}*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture
def settings(settings, redis_db_index):
    """The suite's settings on a Redis database of our own (the FLUSHDB test needs it)."""
    if settings.redis_cluster:
        return settings
    return settings.model_copy(
        update={"redis_url": _own_database(str(settings.redis_url), redis_db_index)}
    )


async def _board(client, player, **params):
    response = await client.get(URL, params=params, headers=player.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _rows(body):
    return [(e["rank"], e["user_id"], e["score"]) for e in body["entries"]]


async def test_order_and_ties_go_to_who_reached_the_score_first(client, players, clock):
    ada, bo, chen = await players.new("ada"), await players.new("bo_b"), await players.new("chen")
    await players.earn(ada, 100)
    clock.advance(seconds=1)
    await players.earn(bo, 60)
    await players.earn(chen, 150)
    clock.advance(seconds=10)
    await players.earn(bo, 40)
    body = await _board(client, bo)
    assert _rows(body) == [(1, chen.id, 150), (2, ada.id, 100), (3, bo.id, 100)]
    assert body["me"] == {"rank": 3, "score": 100}
    assert body["entries"][0]["username"] == "chen"
    assert (body["board"], body["period"], body["scope"], body["label"]) == (
        "energy",
        "all",
        "global",
        "all",
    )
    clock.advance(seconds=1)
    await players.earn(bo, 1)
    assert _rows(await _board(client, ada))[1:] == [(2, bo.id, 101), (3, ada.id, 100)]


async def test_pages_follow_the_cursor_to_the_end(client, players):
    team = [await players.new() for _ in range(7)]
    for i, player in enumerate(team):
        await players.earn(player, 10 * (i + 1))
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = await _board(client, team[0], **params)
        seen += _rows(body)
        assert body["me"] == {"rank": 7, "score": 10}
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [(i + 1, team[6 - i].id, 70 - 10 * i) for i in range(7)]


async def test_around_me_at_the_top_middle_and_bottom(client, players):
    team = [await players.new() for _ in range(9)]
    for i, player in enumerate(team):
        await players.earn(player, 90 - 10 * i)  # team[0] is first, team[8] last
    outsider = await players.new()

    async def ranks(player):
        body = await _board(client, player, around="me", limit=5)
        return [e["rank"] for e in body["entries"]], body["me"]["rank"], body["next_cursor"]

    assert await ranks(team[0]) == ([1, 2, 3, 4, 5], 1, await _cursor_at(client, team[0], 5))
    assert (await ranks(team[4]))[:2] == ([3, 4, 5, 6, 7], 5)
    assert await ranks(team[8]) == ([5, 6, 7, 8, 9], 9, None)
    assert await ranks(outsider) == ([5, 6, 7, 8, 9], None, None)
    body = await _board(client, team[4], around="me", limit=4)
    assert [e["rank"] for e in body["entries"]] == [4, 5, 6, 7]


async def _cursor_at(client, player, offset):
    return (await _board(client, player, limit=offset))["next_cursor"]


async def test_week_and_month_roll_over_on_each_players_calendar(client, players, clock):
    # Sunday 28 June 2026, 23:30 in Shanghai (UTC+8) is 08:30 the same Sunday in Los Angeles.
    clock.set(datetime(2026, 6, 28, 15, 30, tzinfo=UTC))
    mei = await players.new("mei", timezone="Asia/Shanghai")
    lou = await players.new("lou", timezone="America/Los_Angeles")
    await players.earn(mei, 50)
    await players.earn(lou, 20)
    clock.advance(hours=1)  # Monday 29 June 00:30 in Shanghai, still Sunday in Los Angeles
    await players.refresh(mei), await players.refresh(lou)
    await players.earn(mei, 30)
    mine = await _board(client, mei, period="week")
    assert (mine["label"], _rows(mine)) == ("2026-W27", [(1, mei.id, 30)])
    theirs = await _board(client, lou, period="week")
    assert (theirs["label"], _rows(theirs)) == ("2026-W26", [(1, mei.id, 50), (2, lou.id, 20)])
    assert _rows(await _board(client, mei, period="month")) == [(1, mei.id, 80), (2, lou.id, 20)]
    clock.set(datetime(2026, 6, 30, 16, 30, tzinfo=UTC))  # 1 July 00:30 in Shanghai
    await players.refresh(mei), await players.refresh(lou)
    await players.earn(mei, 5)
    july = await _board(client, mei, period="month")
    assert (july["label"], _rows(july)) == ("2026-07", [(1, mei.id, 5)])
    june = await _board(client, lou, period="month")
    assert (june["label"], _rows(june)) == ("2026-06", [(1, mei.id, 80), (2, lou.id, 20)])
    lifetime = await _board(client, lou, period="all")
    assert _rows(lifetime) == [(1, mei.id, 85), (2, lou.id, 20)]


async def test_period_boards_expire_after_their_end_plus_the_grace(
    app, client, players, clock, settings
):
    ada = await players.new(timezone="Asia/Shanghai")
    await players.earn(ada, 10)
    redis = app.state.redis
    prefix = settings.redis_prefix
    week_ttl = await redis.ttl(f"{prefix}lb:{{energy:week:2026-W24:global}}")
    # W24 ends Monday 15 June 00:00 at UTC-12, i.e. 12:00 UTC; the grace is two days.
    end = datetime(2026, 6, 15, 12, 0, tzinfo=UTC) + timedelta(days=2)
    assert abs(week_ttl - (end - clock.now()).total_seconds()) <= 1
    assert await redis.ttl(f"{prefix}lb:{{energy:all:all:global}}") == -1
    month_ttl = await redis.ttl(f"{prefix}lb:{{energy:month:2026-06:global}}")
    end = datetime(2026, 7, 1, 12, 0, tzinfo=UTC) + timedelta(days=2)
    assert abs(month_ttl - (end - clock.now()).total_seconds()) <= 1


async def test_region_and_friends_scopes(client, players):
    ada = await players.new(region="CN-31")
    bo = await players.new(region="CN-31")
    chen = await players.new(region="CN-11")
    dara = await players.new(region="CN-11")
    for player, grams in ((ada, 40), (bo, 30), (chen, 20), (dara, 10)):
        await players.earn(player, grams)
    assert _rows(await _board(client, bo, scope="region")) == [(1, ada.id, 40), (2, bo.id, 30)]
    assert _rows(await _board(client, dara, scope="region", period="week")) == [
        (1, chen.id, 20),
        (2, dara.id, 10),
    ]
    await players.befriend(dara, ada)
    await players.befriend(dara, bo)
    friends = await _board(client, dara, scope="friends", period="week")
    assert _rows(friends) == [(1, ada.id, 40), (2, bo.id, 30), (3, dara.id, 10)]
    assert friends["me"] == {"rank": 3, "score": 10}
    paged = await _board(client, dara, scope="friends", limit=2)
    assert (_rows(paged), paged["next_cursor"] is not None) == (
        [(1, ada.id, 40), (2, bo.id, 30)],
        True,
    )
    rest = await _board(client, dara, scope="friends", limit=2, cursor=paged["next_cursor"])
    assert (_rows(rest), rest["next_cursor"]) == ([(3, dara.id, 10)], None)
    around = await _board(client, dara, scope="friends", around="me", limit=1)
    assert _rows(around) == [(3, dara.id, 10)]
    alone = await _board(client, chen, scope="friends")
    assert _rows(alone) == [(1, chen.id, 20)]


async def test_a_friend_overtaking_me_this_week_sends_rank_changed(app, client, players, clock):
    ada, bo, chen = await players.new(), await players.new(), await players.new()
    await players.befriend(ada, bo)
    await players.earn(bo, 100)
    await players.earn(chen, 500)  # not a friend: overtakes nobody's friends board
    await players.earn(ada, 60)
    clock.advance(seconds=5)
    await players.earn(ada, 50)  # 110 > 100: bo is overtaken
    await players.earn(ada, 50)  # already ahead: no second notice
    notices = await _events(app, bo, "rank.changed")
    assert [n["data"] for n in notices] == [
        {
            "board": "energy",
            "period": "week",
            "scope": "friends",
            "label": "2026-W24",
            "overtaken_by": ada.id,
            "their_score": 110,
            "your_score": 100,
        }
    ]
    assert await _events(app, chen, "rank.changed") == []
    assert await _events(app, ada, "rank.changed") == []


async def _events(app, player, kind):
    """The player's events of one type the relay has sent, oldest first."""
    await app.state.gains.flush()
    await app.state.relay.drain()
    rows = await OutboxEvent.filter(user_id=player.id, type=kind, sent_at__isnull=False)
    return [{"type": row.type, "data": dict(row.data)} for row in sorted(rows, key=lambda r: r.id)]


async def _snapshot(redis: Redis, prefix: str) -> dict[str, list]:
    boards = {}
    async for key in redis.scan_iter(match=f"{prefix}lb:{{energy:*", count=500):
        boards[key] = await redis.zrange(key, 0, -1, withscores=True)
    return boards


async def test_flush_then_a_read_returns_exactly_the_boards_there_were(
    app, client, players, clock, settings
):
    people = [await players.new(region=r) for r in ("CN-31", "CN-31", "CN-11", "")]
    await players.befriend(people[0], people[2])
    for day in range(3):
        for i, player in enumerate(people):
            await players.earn(player, 7 * (i + 1) + day)
            clock.advance(seconds=3)
        clock.advance(days=1)
        for player in people:
            await players.refresh(player)
    redis = app.state.redis
    queries = [
        {"period": p, "scope": s}
        for p in ("all", "week", "month")
        for s in ("global", "region", "friends")
    ]
    before = [await _board(client, people[0], **q) for q in queries]
    stored = await _snapshot(redis, settings.redis_prefix)
    assert len(stored) == 9  # all, week and month: global, CN-31, CN-11
    await redis.flushdb()
    after = [await _board(client, people[0], **q) for q in queries]
    assert after == before
    assert await _snapshot(redis, settings.redis_prefix) == stored
    assert await redis.exists(f"{settings.redis_prefix}lb:{{meta}}:built")


async def test_simultaneous_collects_leave_boards_equal_to_the_ledger(client, players):
    team = [await players.new() for _ in range(6)]

    async def earn_many(player, n):
        for k in range(n):
            await players.earn(player, 5 + k)

    await asyncio.gather(*(earn_many(p, 4) for p in team))
    body = await _board(client, team[0], limit=10)
    assert sorted(e["score"] for e in body["entries"]) == [26] * 6
    for player in team:
        forest = await players.forest(player)
        assert forest["lifetime_collected"] == 26
    assert await reconcile() == []


@pytest.mark.parametrize(
    ("params", "status", "problem"),
    [
        ({"period": "year"}, 400, "validation-failed"),
        ({"scope": "planet"}, 400, "validation-failed"),
        ({"limit": 0}, 400, "validation-failed"),
        ({"limit": 101}, 400, "validation-failed"),
        ({"limit": "ten"}, 400, "validation-failed"),
        ({"around": "you"}, 400, "validation-failed"),
        ({"cursor": "not-a-cursor"}, 422, "invalid-cursor"),
        ({"cursor": "aWQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}, 422, "invalid-cursor"),
        ({"cursor": "aWQ6Mw", "around": "me"}, 422, "around-with-cursor"),
        ({"scope": "region"}, 422, "region-not-set"),
        ({"cursor": "x" * 65}, 400, "validation-failed"),
    ],
)
async def test_bad_requests_are_refused(client, players, params, status, problem):
    ada = await players.new()
    response = await client.get(URL, params=params, headers=ada.headers)
    assert (response.status_code, response.json()["type"]) == (status, f"/problems/{problem}")


async def test_unknown_board_and_no_token(client, players):
    ada = await players.new()
    unknown = await client.get("/api/v1/leaderboards/steps", headers=ada.headers)
    assert (unknown.status_code, unknown.json()["type"]) == (404, "/problems/unknown-board")
    anonymous = await client.get(URL)
    assert (anonymous.status_code, anonymous.json()["type"]) == (401, "/problems/unauthorized")


async def test_rebuild_command_puts_a_tampered_board_right(app, client, players, settings):
    ada, bo = await players.new(region="CN-31"), await players.new()
    await players.earn(ada, 30)
    await players.earn(bo, 20)
    before = await _board(client, bo)
    redis, prefix = app.state.redis, settings.redis_prefix
    lifetime = f"{prefix}lb:{{energy:all:all:global}}"
    await redis.zadd(lifetime, {"999": 1e12, str(bo.id): 1.0})
    assert _rows(await _board(client, bo)) != _rows(before)
    done = run_cli(settings, "rebuild-leaderboards")
    assert done.returncode == 0, done.stderr
    assert "rebuilt" in done.stdout
    assert await _board(client, bo) == before
    busy = await redis.set(f"{prefix}lb:{{meta}}:rebuilding", "someone", nx=True)
    assert busy
    refused = run_cli(settings, "rebuild-leaderboards")
    assert refused.returncode != 0
    assert "leaderboard-rebuild-running" in refused.stderr
