"""Weekly results: when a week ends on each player's calendar, their rank among friends is kept."""

from __future__ import annotations

from datetime import UTC, datetime

from app.worker import weekly_results_job
from tests.events import events_of
from tests.stores import direct_redis


async def _results(client, player):
    response = await client.get("/api/v1/me/weekly-results", headers=player.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def _brief(item):
    rival = item["rival"]
    return (
        item["week"], item["rank"], item["players"], item["grams"], item["outcome"],
        rival["username"] if rival else None, rival["grams"] if rival else None,
    )  # fmt: skip


async def test_each_player_gets_their_week_when_it_ends_where_they_live(
    client, app, players, clock, settings
):
    ada, bo, cy, eve = [await players.new(n) for n in ("ada", "bob", "cyd", "eve")]
    dee = await players.new("dee", timezone="America/New_York")
    for friend in (bo, cy, dee):
        await players.befriend(ada, friend)
    for player, grams in ((ada, 300), (bo, 500), (cy, 100), (dee, 200), (eve, 50)):
        await players.earn(player, grams)
    ctx = {"settings": settings, "clock": clock, "events": app.state.events}

    # Sunday 23:59 in Shanghai: nobody's week 2026-W24 has ended yet.
    clock.set(datetime(2026, 6, 14, 15, 59, tzinfo=UTC))
    assert await weekly_results_job(ctx) == 0
    # Monday 00:01 in Shanghai (still Sunday in New York); cy's new gain is in next week.
    clock.set(datetime(2026, 6, 14, 16, 1, tzinfo=UTC))
    cy = (await players.relog(cy))[0]
    await players.earn(cy, 1_000)
    # The live boards are gone: results come from the ledger.
    redis = direct_redis(settings)
    async for key in redis.scan_iter(match=f"{settings.redis_prefix}lb:*"):
        await redis.delete(key)
    await redis.aclose()
    assert await weekly_results_job(ctx) == 3

    ada, bo, cy, dee, eve = await players.relog(ada, bo, cy, dee, eve)
    assert [_brief(r) for r in await _results(client, ada)] == [
        ("2026-W24", 2, 4, 300, "lost", "bob", 500)
    ]
    assert [_brief(r) for r in await _results(client, bo)] == [
        ("2026-W24", 1, 2, 500, "won", "ada", 300)
    ]
    assert [_brief(r) for r in await _results(client, cy)] == [
        ("2026-W24", 2, 2, 100, "lost", "ada", 300)
    ]
    assert await _results(client, dee) == []
    assert await _results(client, eve) == []  # no friends, no duel
    first = (await _results(client, ada))[0]
    assert (first["starts_at"], first["ends_at"]) == (
        "2026-06-07T16:00:00Z",
        "2026-06-14T16:00:00Z",
    )
    assert await events_of(app, ada, "weekly.results") == [
        {"week": "2026-W24", "rank": 2, "players": 4, "grams": 300, "rival_id": bo.id,
         "rival_grams": 500, "outcome": "lost"}
    ]  # fmt: skip
    inbox = (await client.get("/api/v1/me/notifications", headers=ada.headers)).json()
    assert inbox["items"][0]["kind"] == "weekly_results"

    # Monday 00:01 in New York: dee's week has ended there too.
    clock.set(datetime(2026, 6, 15, 4, 1, tzinfo=UTC))
    assert await weekly_results_job(ctx) == 1
    assert await weekly_results_job(ctx) == 0  # once per player and week
    dee = (await players.relog(dee))[0]
    assert [_brief(r) for r in await _results(client, dee)] == [
        ("2026-W24", 2, 2, 200, "lost", "ada", 300)
    ]


async def test_a_tie_and_a_quiet_week(client, app, players, clock, settings):
    ada, bo, cy = [await players.new(n) for n in ("ada", "bob", "cyd")]
    await players.befriend(ada, bo)
    await players.befriend(bo, cy)
    await players.earn(ada, 200)
    clock.advance(seconds=5)
    await players.earn(bo, 200)
    ctx = {"settings": settings, "clock": clock, "events": app.state.events}
    clock.set(datetime(2026, 6, 14, 16, 30, tzinfo=UTC))
    assert await weekly_results_job(ctx) == 3
    ada, bo, cy = await players.relog(ada, bo, cy)
    # Equal grams: who got there first ranks higher, and the duel is a tie.
    assert [_brief(r) for r in await _results(client, ada)] == [
        ("2026-W24", 1, 2, 200, "tied", "bob", 200)
    ]
    assert [_brief(r) for r in await _results(client, bo)] == [
        ("2026-W24", 2, 3, 200, "tied", "ada", 200)
    ]
    assert [_brief(r) for r in await _results(client, cy)] == [
        ("2026-W24", 2, 2, 0, "lost", "bob", 200)
    ]
    # A week in which nobody in the group gathered anything is kept, but not announced.
    clock.set(datetime(2026, 6, 21, 16, 30, tzinfo=UTC))
    assert await weekly_results_job(ctx) == 3
    ada = (await players.relog(ada))[0]
    assert [r["week"] for r in await _results(client, ada)] == ["2026-W25", "2026-W24"]
    assert len(await events_of(app, ada, "weekly.results")) == 1
    page = await client.get("/api/v1/me/weekly-results", params={"limit": 1}, headers=ada.headers)
    assert [r["week"] for r in page.json()["items"]] == ["2026-W25"]
    assert page.json()["next_cursor"] is not None
