"""Friend suggestions: friends of friends first, then active players nearby, and never the wrong."""

from __future__ import annotations

from datetime import timedelta

SUGGESTIONS = "/api/v1/friends/suggestions"


async def _suggested(client, player, **params):
    response = await client.get(SUGGESTIONS, params=params, headers=player.headers)
    assert response.status_code == 200, response.text
    return [(s["player"]["username"], s["reason"], s["mutual_friends"]) for s in response.json()]


async def test_friends_of_friends_by_mutual_friends_then_active_neighbours(client, players, clock):
    me = await players.new("me_player", region="CN-31")
    bob, cat = await players.new("bob_f"), await players.new("cat_f")
    dan, eli, fay, gus, hal = [
        await players.new(n) for n in ("dan_fof", "eli_fof", "fay_blocks", "gus_asked", "hal_asks")
    ]
    for friend in (bob, cat):
        await players.befriend(me, friend)
    for fof in (dan, eli, fay, gus, hal):
        await players.befriend(bob, fof)
    await players.befriend(cat, dan)
    await client.post(f"/api/v1/blocks/{me.id}", headers=fay.headers)
    await client.post("/api/v1/friends/requests", json={"user_id": gus.id}, headers=me.headers)
    await client.post("/api/v1/friends/requests", json={"user_id": me.id}, headers=hal.headers)
    staff = await players.staff("moderator", "mod_fof")  # a friend of a friend, but staff
    await players.befriend(bob, staff)
    # Neighbours: one seen lately, one long ago, one elsewhere.
    old = await players.new("old_near", region="CN-31")
    clock.advance(days=10)
    near = await players.new("new_near", region="CN-31")
    await players.new("far_away", region="DE-BE")
    me = await players.refresh(me)

    assert await _suggested(client, me) == [
        ("dan_fof", "mutual_friends", 2),
        ("eli_fof", "mutual_friends", 1),
        ("new_near", "same_region", 0),
    ]
    assert await _suggested(client, me, limit=1) == [("dan_fof", "mutual_friends", 2)]
    near = await players.refresh(near)
    assert ("me_player", "same_region", 0) in await _suggested(client, near)
    assert old.username not in [s[0] for s in await _suggested(client, near)]
    for bad in ({"limit": 0}, {"limit": 51}, {"limit": "x"}):
        response = await client.get(SUGGESTIONS, params=bad, headers=me.headers)
        assert (response.status_code, response.json()["type"]) == (
            400,
            "/problems/validation-failed",
        )
    assert (await client.get(SUGGESTIONS)).status_code == 401
    clock.advance(seconds=timedelta(days=7).total_seconds() + 1)
    me = await players.refresh(me)
    assert [s[0] for s in await _suggested(client, me)] == ["dan_fof", "eli_fof"]
