"""Friends visit, steal within the rules, water, and use props; the owner sees who did what."""

from __future__ import annotations

import asyncio
from collections import Counter

from app.domains import reconcile


async def _steal(client, thief, bubble_id):
    return await client.post(f"/api/v1/bubbles/{bubble_id}/steal", headers=thief.headers)


async def _ripe_computer_bubble(players, owner):
    """A 162,640 g bubble (one second-hand computer), ripe."""
    bubble_id = await players.partner_bubble(owner, "second_hand_computer", "1")
    players.clock.advance(seconds=301)
    return bubble_id


async def test_friends_take_their_share_and_the_owner_keeps_the_floor(client, players):
    owner, ann, ben, cal = [await players.new() for _ in range(4)]
    for friend in (ann, ben, cal):
        await players.befriend(owner, friend)
    bubble_id = await _ripe_computer_bubble(players, owner)
    owner, ann, ben, cal = await players.relog(owner, ann, ben, cal)

    visit = (await client.get(f"/api/v1/forest/{owner.id}", headers=ann.headers)).json()
    assert [b["can_take"] for b in visit["bubbles"]] == [48_792]  # 30 % of 162,640
    first = await _steal(client, ann, bubble_id)
    assert (first.status_code, first.json()["grams"]) == (200, 48_792)
    second = await _steal(client, ben, bubble_id)
    # The owner keeps at least half: 162,640 - 81,320 - 48,792 = 32,528 is all that is left.
    assert second.json()["grams"] == 32_528
    third = await _steal(client, cal, bubble_id)
    assert (third.status_code, third.json()["type"]) == (409, "/problems/nothing-to-steal")
    again = await _steal(client, ann, bubble_id)
    assert (again.status_code, again.json()["type"]) == (409, "/problems/already-stolen")

    collected = await client.post(f"/api/v1/bubbles/{bubble_id}/collect", headers=owner.headers)
    assert collected.json()["collected"] == 81_320
    timeline = (await client.get("/api/v1/me/timeline", headers=owner.headers)).json()
    assert [(t["kind"], t["actor_id"], t["grams"]) for t in timeline["items"]] == [
        ("stole", ben.id, 32_528),
        ("stole", ann.id, 48_792),
    ]
    assert await reconcile() == []


async def test_steal_refusals_change_nothing(client, players, clock):
    owner, friend, stranger, blocker = [await players.new() for _ in range(4)]
    await players.befriend(owner, friend)
    await players.befriend(owner, blocker)
    growing = (await players.report(owner, "reusable_cup", "1")).json()["bubble"]["id"]
    unripe = await _steal(client, friend, growing)
    assert (unripe.status_code, unripe.json()["type"]) == (409, "/problems/bubble-not-ripe")
    clock.advance(seconds=301)
    owner, friend, stranger, blocker = await players.relog(owner, friend, stranger, blocker)
    await client.post(f"/api/v1/blocks/{owner.id}", headers=blocker.headers)
    cases = [
        (stranger, growing, 403, "not-friends"),
        (blocker, growing, 403, "blocked"),
        (owner, growing, 422, "self-target"),
        (friend, 987654, 404, "bubble-not-found"),
    ]
    for thief, bubble_id, status, code in cases:
        response = await _steal(client, thief, bubble_id)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    assert (
        await client.get(f"/api/v1/forest/{owner.id}", headers=stranger.headers)
    ).status_code == 403
    assert (
        await client.get(f"/api/v1/forest/{owner.id}", headers=blocker.headers)
    ).status_code == 403
    assert (await client.post(f"/api/v1/bubbles/{growing}/steal")).status_code == 401
    for bad in ("0", "x", str(2**63)):
        assert (
            await client.post(f"/api/v1/bubbles/{bad}/steal", headers=friend.headers)
        ).status_code in (400, 404)
    clock.advance(hours=72)
    (owner, friend) = await players.relog(owner, friend)
    expired = await _steal(client, friend, growing)
    assert (expired.status_code, expired.json()["type"]) == (410, "/problems/bubble-expired")
    forest = await players.forest(owner)
    assert forest["bubbles"][0]["stolen"] == 0
    assert (await players.forest(friend))["balance"] == 0
    assert await reconcile() == []


async def test_emptied_bubble_and_protection_cover(client, players, clock, settings):
    from game.props.inventory import PropKind, grant_prop

    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    await grant_prop(clock, owner.id, PropKind.PROTECTION_COVER, 1, "test", "cover-1")
    bubble = await players.ripe_bubble(owner)
    owner, friend = await players.relog(owner, friend)
    used = await client.post("/api/v1/me/props/protection_cover/use", headers=owner.headers)
    assert used.status_code == 200 and used.json()["left"] == 0
    blocked = await _steal(client, friend, bubble["id"])
    assert (blocked.status_code, blocked.json()["type"]) == (409, "/problems/forest-protected")
    visit = (await client.get(f"/api/v1/forest/{owner.id}", headers=friend.headers)).json()
    assert visit["protected"] is True and visit["bubbles"][0]["can_take"] == 0
    none_left = await client.post("/api/v1/me/props/protection_cover/use", headers=owner.headers)
    assert (none_left.status_code, none_left.json()["type"]) == (409, "/problems/no-prop-left")
    unknown = await client.post("/api/v1/me/props/invisibility/use", headers=owner.headers)
    assert (unknown.status_code, unknown.json()["type"]) == (404, "/problems/unknown-prop")
    await client.post(f"/api/v1/bubbles/{bubble['id']}/collect", headers=owner.headers)
    clock.advance(seconds=settings.prop_effect_seconds - 300)
    owner, friend = await players.relog(owner, friend)
    bubble2 = await players.ripe_bubble(owner)
    assert (await _steal(client, friend, bubble2["id"])).status_code == 200
    assert await reconcile() == []


async def test_double_collect_card_doubles_within_the_floor(client, players, clock):
    from game.props.inventory import PropKind, grant_prop

    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    await grant_prop(clock, friend.id, PropKind.DOUBLE_COLLECT, 2, "test", "card-1")
    bubble_id = await _ripe_computer_bubble(players, owner)
    owner, friend = await players.relog(owner, friend)
    assert (
        await client.post("/api/v1/me/props/double_collect/use", headers=friend.headers)
    ).status_code == 200
    props = (await client.get("/api/v1/me/props", headers=friend.headers)).json()
    assert props["stock"]["double_collect"] == 1 and "double_collect" in props["active_until"]
    stolen = await _steal(client, friend, bubble_id)
    # Twice 48,792 is 97,584, but the owner keeps 81,320: the floor wins.
    assert stolen.json() | {"balance": 0} == {
        "bubble_id": bubble_id,
        "grams": 81_320,
        "doubled": True,
        "balance": 0,
        "bubble_remaining": 81_320,
    }
    assert await reconcile() == []


async def test_hundred_friends_steal_at_once_while_the_owner_collects(client, players):
    owner = await players.new("owner")
    friends = await asyncio.gather(*(players.new(f"friend{n:03d}") for n in range(100)))
    for chunk in range(0, 100, 25):
        await asyncio.gather(*(players.befriend(owner, f) for f in friends[chunk : chunk + 25]))
    bubble_id = await _ripe_computer_bubble(players, owner)
    owner, *friends = await players.relog(owner, *friends)
    requests = [_steal(client, f, bubble_id) for f in friends]
    requests.append(client.post(f"/api/v1/bubbles/{bubble_id}/collect", headers=owner.headers))
    responses = await asyncio.gather(*requests)
    steals, collect = responses[:-1], responses[-1]
    assert collect.status_code == 200
    won = [r.json()["grams"] for r in steals if r.status_code == 200]
    assert {r.status_code for r in steals} <= {200, 409}
    bubble = (await players.forest(owner))["bubbles"][0]
    assert sum(won) == bubble["stolen"] <= 162_640 - 81_320
    assert bubble["collected"] + bubble["stolen"] == 162_640 and bubble["remaining"] == 0
    assert (await players.forest(owner))["balance"] == collect.json()["collected"] >= 81_320
    balances = [(await players.forest(f))["balance"] for f in friends]
    assert sorted(b for b in balances if b) == sorted(won)
    assert Counter(r.json()["type"] for r in steals if r.status_code == 409).keys() <= {
        "/problems/nothing-to-steal",
        "/problems/bubble-empty",
        "/problems/already-stolen",
    }
    assert await reconcile() == []


async def test_watering_moves_energy_three_times_a_day(client, players, clock):
    giver, friend = await players.new(), await players.new()
    await players.befriend(giver, friend)
    await players.give_energy(giver, 100)
    for grams in (10, 18, 66):
        watered = await client.post(
            f"/api/v1/friends/{friend.id}/water", json={"grams": grams}, headers=giver.headers
        )
        assert watered.status_code == 200, watered.text
    assert watered.json()["balance"] == 6 and watered.json()["waterings_left_today"] == 0
    fourth = await client.post(
        f"/api/v1/friends/{friend.id}/water", json={"grams": 10}, headers=giver.headers
    )
    assert (fourth.status_code, fourth.json()["type"]) == (429, "/problems/watering-limit-reached")
    friend_forest = await players.forest(friend)
    assert friend_forest["balance"] == 94
    timeline = (await client.get("/api/v1/me/timeline", headers=friend.headers)).json()
    assert [t["grams"] for t in timeline["items"]] == [66, 18, 10]
    # A new local day (Shanghai midnight is 16:00 UTC) brings three more.
    clock.advance(hours=13)
    giver, friend = await players.relog(giver, friend)
    poor = await client.post(
        f"/api/v1/friends/{friend.id}/water", json={"grams": 10}, headers=giver.headers
    )
    assert (poor.status_code, poor.json()["type"]) == (409, "/problems/insufficient-energy")
    ok = await client.post(
        f"/api/v1/friends/{giver.id}/water", json={"grams": 18}, headers=friend.headers
    )
    assert ok.status_code == 200
    assert await reconcile() == []


async def test_watering_refusals_change_nothing(client, players):
    giver, friend, stranger = await players.new(), await players.new(), await players.new()
    await players.befriend(giver, friend)
    await players.give_energy(giver, 500)
    cases = [
        (friend.id, {"grams": 11}, 422, "water-amount-not-allowed"),
        (friend.id, {"grams": 0}, 422, "water-amount-not-allowed"),
        (friend.id, {"grams": -10}, 422, "water-amount-not-allowed"),
        (friend.id, {"grams": "ten"}, 400, "validation-failed"),
        (friend.id, {"grams": [10]}, 400, "validation-failed"),
        (friend.id, {}, 400, "validation-failed"),
        (friend.id, {"grams": 10, "note": "hi"}, 400, "validation-failed"),
        (stranger.id, {"grams": 10}, 403, "not-friends"),
        (giver.id, {"grams": 10}, 422, "self-target"),
    ]
    for target, body, status, code in cases:
        response = await client.post(
            f"/api/v1/friends/{target}/water", json=body, headers=giver.headers
        )
        assert response.status_code == status, (body, response.text)
        assert response.json()["type"] == f"/problems/{code}", (body, response.text)
    assert (
        await client.post(f"/api/v1/friends/{friend.id}/water", json={"grams": 10})
    ).status_code == 401
    assert (await players.forest(giver))["balance"] == 500
    assert (await players.forest(friend))["balance"] == 0


async def test_simultaneous_waterings_respect_the_limit_and_the_balance(client, players):
    giver, friend = await players.new(), await players.new()
    await players.befriend(giver, friend)
    await players.give_energy(giver, 150)
    responses = await asyncio.gather(*(
        client.post(f"/api/v1/friends/{friend.id}/water", json={"grams": 66}, headers=giver.headers)
        for _ in range(10)
    ))  # fmt: skip
    statuses = Counter(r.status_code for r in responses)
    assert statuses[200] == 2  # 150 g covers two gifts of 66 g
    assert (await players.forest(giver))["balance"] == 18
    assert (await players.forest(friend))["balance"] == 132
    assert await reconcile() == []


async def test_a_suspended_player_can_neither_steal_nor_water(client, players, clock):
    from datetime import timedelta

    from core.users import User

    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    await players.give_energy(friend, 100)
    bubble = await players.ripe_bubble(owner)
    owner, friend = await players.relog(owner, friend)
    await User.filter(id=friend.id).update(suspended_until=clock.now() + timedelta(days=1))
    stolen = await _steal(client, friend, bubble["id"])
    watered = await client.post(
        f"/api/v1/friends/{owner.id}/water", json={"grams": 10}, headers=friend.headers
    )
    for response in (stolen, watered):
        assert (response.status_code, response.json()["type"]) == (
            403,
            "/problems/account-suspended",
        )
    assert (await players.forest(friend))["balance"] == 100
    clock.advance(days=1, seconds=1)
    owner, friend = await players.relog(owner, friend)
    assert (await _steal(client, friend, bubble["id"])).status_code == 200
