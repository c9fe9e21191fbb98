"""The kindness board: helpers ranked by their kind deeds, rebuilt from the database."""

from __future__ import annotations

from tests.servers import run_cli
from tests.stores import direct_redis

BOARD = "/api/v1/leaderboards/kindness"


async def test_helpers_are_ranked_and_the_board_comes_back_after_a_flush(
    client, players, clock, settings
):
    owner, ann, ben = await players.new("owner"), await players.new("ann"), await players.new("ben")
    for helper in (ann, ben):
        await players.befriend(owner, helper)
    bubbles = [
        (await players.report(owner, scenario)).json()["bubble"]["id"]
        for scenario in ("reusable_cup", "no_plastic_bag", "lights_off_hour")
    ]
    clock.advance(hours=71, seconds=301)
    owner, ann, ben = await players.relog(owner, ann, ben)
    for helper, bubble_id in ((ben, bubbles[0]), (ann, bubbles[1]), (ann, bubbles[2])):
        helped = await client.post(f"/api/v1/bubbles/{bubble_id}/help", headers=helper.headers)
        assert helped.status_code == 200, helped.text

    board = (await client.get(BOARD, headers=owner.headers)).json()
    expected = [(1, ann.id, "ann", 2), (2, ben.id, "ben", 1)]
    assert [(e["rank"], e["user_id"], e["username"], e["score"]) for e in board["entries"]] == (
        expected
    )
    assert (board["label"], board["me"]) == ("all", {"rank": None, "score": 0})
    friends = (await client.get(BOARD, params={"scope": "friends"}, headers=ben.headers)).json()
    assert [(e["username"], e["score"]) for e in friends["entries"]] == [("ben", 1)]
    around = (await client.get(BOARD, params={"around": "me"}, headers=ben.headers)).json()
    assert around["me"] == {"rank": 2, "score": 1}
    for params in ({"period": "week"}, {"scope": "region"}):
        refused = await client.get(BOARD, params=params, headers=ann.headers)
        assert (refused.status_code, refused.json()["type"]) == (
            422,
            "/problems/board-view-not-offered",
        )

    redis = direct_redis(settings)
    async for key in redis.scan_iter(match=f"{settings.redis_prefix}lb:*"):
        await redis.delete(key)
    await redis.aclose()
    rebuilt = (await client.get(BOARD, headers=owner.headers)).json()
    assert [(e["rank"], e["user_id"], e["username"], e["score"]) for e in rebuilt["entries"]] == (
        expected
    )
    done = run_cli(settings, "rebuild-leaderboards")
    assert done.returncode == 0, done.stderr
    assert "rebuilt the kindness board: 2 player(s)" in done.stdout
