"""Campaign boards on Redis: players, teams and regions; rebuilt from the database when lost."""

from __future__ import annotations

from tests.game.campaigns.progress.test_cooperative import form_team
from tests.servers import run_cli
from tests.stores import direct_redis

RIDES = {"kind": "count", "target": 10, "scenarios": ["carpool_ride"]}


async def test_players_and_teams_are_ranked_and_the_boards_survive_a_flush(
    client, app, players, campaigns, clock, settings
):
    day = await campaigns.launch(RIDES)
    ada = await players.new(display_name="Ada")
    bo = await players.new(display_name="Bo")
    chen = await players.new(display_name="Chen")
    team_id = await form_team(client, players, ada, bo)
    for player, rides in ((ada, 3), (bo, 2)):
        for _ in range(rides):
            await campaigns.credit(player)
    clock.advance(minutes=1)
    for _ in range(3):
        await campaigns.credit(chen)  # as many rides as Ada, a minute later
    ada, bo, chen = await players.relog(ada, bo, chen)
    path = f"/campaigns/{day['id']}/leaderboard"
    top = await campaigns.get(chen, path)
    assert [(e["rank"], e["name"], e["score"]) for e in top["entries"]] == [
        (1, "Ada", 3), (2, "Chen", 3), (3, "Bo", 2),
    ]  # fmt: skip
    assert top["me"] == {"id": str(chen.id), "rank": 2, "score": 3}
    page = await campaigns.get(chen, path, limit=2)
    rest = await campaigns.get(chen, path, limit=2, cursor=page["next_cursor"])
    assert [e["name"] for e in page["entries"] + rest["entries"]] == ["Ada", "Chen", "Bo"]
    around = await campaigns.get(bo, path, around="me", limit=1)
    assert [e["name"] for e in around["entries"]] == ["Bo"]
    teams = await campaigns.get(ada, path, board="teams")
    assert [(e["id"], e["name"], e["score"]) for e in teams["entries"]] == [
        (str(team_id), "Pool party", 5)
    ]
    assert teams["me"]["rank"] == 1
    refused = await client.get(f"/api/v1{path}", params={"board": "regions"}, headers=ada.headers)
    assert (refused.status_code, refused.json()["type"]) == (
        422, "/problems/campaign-board-not-kept",
    )  # fmt: skip

    # Redis loses the campaign's boards: the next read rebuilds them from the database.
    redis = direct_redis(settings)
    lost = [k async for k in redis.scan_iter(match=f"{settings.redis_prefix}lb:{{campaign:*")]
    assert lost
    await redis.delete(*lost)
    await redis.aclose()
    rebuilt = await campaigns.get(chen, path)
    assert rebuilt["entries"] == top["entries"]
    assert (await campaigns.get(ada, path, board="teams"))["entries"] == teams["entries"]


async def test_the_rebuild_command_puts_a_tampered_campaign_board_right(
    app, client, players, campaigns, settings
):
    day = await campaigns.launch(RIDES)
    ada, bo = await players.new(), await players.new()
    await campaigns.credit(ada)
    await campaigns.credit(ada)
    await campaigns.credit(bo)
    path = f"/campaigns/{day['id']}/leaderboard"
    before = await campaigns.get(ada, path)
    key = f"{settings.redis_prefix}lb:{{campaign:{day['id']}}}:players"
    await app.state.redis.zadd(key, {"999": 1e12})
    assert (await campaigns.get(ada, path))["entries"] != before["entries"]
    done = run_cli(settings, "rebuild-leaderboards")
    assert done.returncode == 0, done.stderr
    assert "the boards of 1 campaign(s)" in done.stdout
    assert (await campaigns.get(ada, path))["entries"] == before["entries"]
