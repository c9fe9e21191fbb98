"""Friends help collect a bubble about to expire: the owner gets it, the helper gets kindness."""

from __future__ import annotations

import asyncio
from collections import Counter

from app.domains import reconcile
from tests.events import events_of


async def _help(client, helper, bubble_id):
    return await client.post(f"/api/v1/bubbles/{bubble_id}/help", headers=helper.headers)


async def _expiring_bubble(players, owner):
    """A ripe 25 g bubble 59 minutes before its expiry (lifetime 72 h)."""
    bubble = await players.ripe_bubble(owner)
    players.clock.advance(hours=71)
    return bubble


async def test_a_friend_collects_for_the_owner_and_is_thanked(client, app, players, clock):
    owner, helper = await players.new(), await players.new()
    await players.befriend(owner, helper)
    bubble = await _expiring_bubble(players, owner)
    owner, helper = await players.relog(owner, helper)

    visit = (await client.get(f"/api/v1/forest/{owner.id}", headers=helper.headers)).json()
    assert [(b["bubble"]["id"], b["can_help"]) for b in visit["bubbles"]] == [(bubble["id"], True)]
    helped = await _help(client, helper, bubble["id"])
    assert helped.status_code == 200, helped.text
    assert helped.json() == {
        "bubble_id": bubble["id"],
        "owner_id": owner.id,
        "grams": 25,
        "bubble_remaining": 0,
        "kindness": 1,
    }
    forest = await players.forest(owner)
    assert (forest["balance"], forest["lifetime_collected"]) == (25, 25)
    assert forest["bubbles"][0]["collected"] == 25 and forest["bubbles"][0]["state"] == "collected"
    assert (await players.forest(helper))["balance"] == 0
    assert (await players.forest(helper))["kindness"] == 1
    timeline = (await client.get("/api/v1/me/timeline", headers=owner.headers)).json()
    assert [(t["kind"], t["actor_id"], t["grams"]) for t in timeline["items"]] == [
        ("helped", helper.id, 25)
    ]
    helped = {"bubble_id": bubble["id"], "by_user_id": helper.id, "by_name": helper.username}
    assert await events_of(app, owner, "bubble.helped") == [{**helped, "grams": 25}]
    ledger = (await client.get("/api/v1/me/energy/ledger", headers=owner.headers)).json()
    assert [(e["kind"], e["delta"]) for e in ledger["items"]] == [("help_collect", 25)]
    again = await _help(client, helper, bubble["id"])
    assert (again.status_code, again.json()["type"]) == (409, "/problems/already-helped")
    assert await reconcile() == []


async def test_help_refusals_change_nothing(client, players, clock):
    owner, friend, stranger, blocker, late = [await players.new() for _ in range(5)]
    for other in (friend, blocker, late):
        await players.befriend(owner, other)
    growing = (await players.report(owner)).json()["bubble"]["id"]
    left = (await players.report(owner, "no_plastic_bag")).json()["bubble"]["id"]
    unripe = await _help(client, friend, growing)
    assert (unripe.status_code, unripe.json()["type"]) == (409, "/problems/bubble-not-ripe")
    clock.advance(seconds=301)
    owner, friend, stranger, blocker, late = await players.relog(
        owner, friend, stranger, blocker, late
    )
    early = await _help(client, friend, growing)
    assert (early.status_code, early.json()["type"]) == (409, "/problems/bubble-not-expiring-soon")
    assert early.json()["helpable_from"].startswith("2026-06-13T02:00")
    await client.post(f"/api/v1/blocks/{owner.id}", headers=blocker.headers)
    clock.advance(hours=71)
    owner, friend, stranger, blocker, late = await players.relog(
        owner, friend, stranger, blocker, late
    )
    cases = [
        (stranger, growing, 403, "not-friends"),
        (blocker, growing, 403, "blocked"),
        (owner, growing, 422, "self-target"),
        (friend, 987654, 404, "bubble-not-found"),
    ]
    for who, bubble_id, status, code in cases:
        response = await _help(client, who, bubble_id)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    assert (await client.post(f"/api/v1/bubbles/{growing}/help")).status_code == 401
    for bad in ("0", "x", str(2**63)):
        response = await client.post(f"/api/v1/bubbles/{bad}/help", headers=friend.headers)
        assert response.status_code in (400, 404)
    assert (await players.forest(owner))["balance"] == 0
    assert (await _help(client, friend, growing)).status_code == 200
    assert (await players.forest(owner))["balance"] == 25
    emptied = await _help(client, late, growing)
    assert (emptied.status_code, emptied.json()["type"]) == (409, "/problems/bubble-empty")
    clock.advance(hours=1)
    late = (await players.relog(late))[0]
    expired = await _help(client, late, left)
    assert (expired.status_code, expired.json()["type"]) == (410, "/problems/bubble-expired")
    assert (await players.forest(late))["kindness"] == 0
    assert await reconcile() == []


async def test_a_protected_forest_can_be_helped_but_not_by_a_suspended_friend(
    client, players, clock
):
    from datetime import timedelta

    from core.users import User
    from game.props.inventory import PropKind, grant_prop

    owner, helper, suspended = [await players.new() for _ in range(3)]
    await players.befriend(owner, helper)
    await players.befriend(owner, suspended)
    await grant_prop(clock, owner.id, PropKind.PROTECTION_COVER, 1, "test", "cover-help")
    bubble = await _expiring_bubble(players, owner)
    owner, helper, suspended = await players.relog(owner, helper, suspended)
    used = await client.post("/api/v1/me/props/protection_cover/use", headers=owner.headers)
    assert used.status_code == 200
    stolen = await client.post(f"/api/v1/bubbles/{bubble['id']}/steal", headers=helper.headers)
    assert stolen.json()["type"] == "/problems/forest-protected"
    await User.filter(id=suspended.id).update(suspended_until=clock.now() + timedelta(days=1))
    refused = await _help(client, suspended, bubble["id"])
    assert (refused.status_code, refused.json()["type"]) == (403, "/problems/account-suspended")
    assert (await _help(client, helper, bubble["id"])).status_code == 200
    assert (await players.forest(owner))["balance"] == 25
    assert await reconcile() == []


async def test_twenty_friends_help_at_once_and_exactly_one_collects(client, players):
    owner = await players.new("helped_owner")
    friends = await players.many(20, "helper")
    await asyncio.gather(*(players.befriend(owner, f) for f in friends))
    bubble_id = await players.partner_bubble(owner, "second_hand_computer", "1")
    players.clock.advance(hours=71, minutes=30)
    owner, *friends = await players.relog(owner, *friends)
    responses = await asyncio.gather(*(_help(client, f, bubble_id) for f in friends))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 19}, [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["type"] for r in responses if r.status_code == 409} == {
        "/problems/bubble-empty"
    }
    winner = next(f for f, r in zip(friends, responses, strict=True) if r.status_code == 200)
    forest = await players.forest(owner)
    assert forest["balance"] == 162_640 and forest["bubbles"][0]["collected"] == 162_640
    kindness = [(await players.forest(f))["kindness"] for f in friends]
    assert sorted(kindness) == [0] * 19 + [1]
    board = await client.get("/api/v1/leaderboards/kindness", headers=winner.headers)
    assert [(e["user_id"], e["score"]) for e in board.json()["entries"]] == [(winner.id, 1)]
    assert [(await players.forest(f))["balance"] for f in friends] == [0] * 20
    assert await reconcile() == []
