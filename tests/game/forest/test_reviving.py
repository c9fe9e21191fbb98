"""Expired bubbles revived once within a day: by the owner's card, or by a friend who pays."""

from __future__ import annotations

import asyncio
from collections import Counter

from app.domains import reconcile
from tests.events import events_of


async def _revive(client, who, bubble_id):
    return await client.post(f"/api/v1/bubbles/{bubble_id}/revive", headers=who.headers)


async def _expired_bubble(players, owner, scenario="second_hand_garment", quantity="1"):
    """A bubble (720 g by default) left to expire: 72 h and a minute after it appeared."""
    bubble_id = await players.partner_bubble(owner, scenario, quantity)
    players.clock.advance(hours=72, minutes=1)
    return bubble_id


async def _ledger(client, player):
    rows = (await client.get("/api/v1/me/energy/ledger", headers=player.headers)).json()["items"]
    return [(e["kind"], e["delta"]) for e in rows]


async def test_a_friend_pays_to_revive_half_of_what_expired(client, app, players, clock):
    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    await players.give_energy(friend, 1_000)
    bubble_id = await _expired_bubble(players, owner)
    owner, friend = await players.relog(owner, friend)

    visit = (await client.get(f"/api/v1/forest/{owner.id}", headers=friend.headers)).json()
    shown = [(b["bubble"]["id"], b["bubble"]["state"], b["can_revive"]) for b in visit["bubbles"]]
    assert shown == [(bubble_id, "expired", 360)]
    revived = await _revive(client, friend, bubble_id)
    assert revived.status_code == 200, revived.text
    assert revived.json() == {
        "bubble_id": bubble_id,
        "owner_id": owner.id,
        "grams": 360,
        "paid_with": "energy",
        "cost": 360,
        "balance": 640,
    }
    forest = await players.forest(owner)
    assert (forest["balance"], forest["lifetime_collected"]) == (360, 360)
    shown = forest["bubbles"][0]
    assert (shown["expired"], shown["revived"], shown["remaining"]) == (720, 360, 0)
    assert await _ledger(client, owner) == [("revive", 360)]
    assert await _ledger(client, friend) == [("revive_pay", -360), ("adjustment", 1_000)]
    assert (await players.forest(friend))["kindness"] == 1
    timeline = (await client.get("/api/v1/me/timeline", headers=owner.headers)).json()
    assert [(t["kind"], t["actor_id"], t["grams"]) for t in timeline["items"]] == [
        ("revived", friend.id, 360)
    ]
    assert await events_of(app, owner, "bubble.revived") == [
        {
            "bubble_id": bubble_id,
            "by_user_id": friend.id,
            "by_name": friend.username,
            "grams": 360,
            "paid": 360,
        }
    ]
    again = await _revive(client, friend, bubble_id)
    assert (again.status_code, again.json()["type"]) == (409, "/problems/already-revived")
    assert await reconcile() == []


async def test_the_owner_revives_with_a_card_even_after_the_sweep(client, players, clock, settings):
    from game.energy.bubbles import expire_bubbles
    from game.props.inventory import PropKind, grant_prop

    owner = await players.new()
    await grant_prop(clock, owner.id, PropKind.REVIVE_CARD, 1, "test", "revive-card-1")
    bubble_id = await _expired_bubble(players, owner)
    assert await expire_bubbles(clock) == 1
    owner = (await players.relog(owner))[0]
    props = (await client.get("/api/v1/me/props", headers=owner.headers)).json()
    assert props["stock"]["revive_card"] == 1
    not_usable = await client.post("/api/v1/me/props/revive_card/use", headers=owner.headers)
    assert (not_usable.status_code, not_usable.json()["type"]) == (422, "/problems/prop-not-usable")
    revived = await _revive(client, owner, bubble_id)
    assert revived.status_code == 200, revived.text
    assert revived.json() | {"bubble_id": 0} == {
        "bubble_id": 0,
        "owner_id": owner.id,
        "grams": 360,
        "paid_with": "card",
        "cost": 0,
        "balance": 360,
    }
    props = (await client.get("/api/v1/me/props", headers=owner.headers)).json()
    assert props["stock"]["revive_card"] == 0
    assert (await players.forest(owner))["kindness"] == 0
    assert await reconcile() == []


async def test_revive_refusals_change_nothing(client, players, clock, settings):
    from datetime import timedelta

    from core.users import User

    owner, friend, poor, stranger, blocker, suspended = [await players.new() for _ in range(6)]
    for other in (friend, poor, blocker, suspended):
        await players.befriend(owner, other)
    for payer in (friend, blocker, suspended, stranger):
        await players.give_energy(payer, 5_000)
    await players.give_energy(poor, 100)
    live = await players.partner_bubble(owner, "second_hand_garment", "1")
    tiny = await players.partner_bubble(owner, "e_receipt", "0.334")  # 1 g: half of it is 0
    collected = (await players.report(owner)).json()["bubble"]["id"]
    clock.advance(seconds=301)
    owner = (await players.relog(owner))[0]
    took = await client.post(f"/api/v1/bubbles/{collected}/collect", headers=owner.headers)
    assert took.status_code == 200
    owner, friend = await players.relog(owner, friend)
    early = await _revive(client, friend, live)
    assert (early.status_code, early.json()["type"]) == (409, "/problems/bubble-not-expired")
    clock.advance(hours=72)
    owner, friend, poor, stranger, blocker, suspended = await players.relog(
        owner, friend, poor, stranger, blocker, suspended
    )
    await client.post(f"/api/v1/blocks/{owner.id}", headers=blocker.headers)
    await User.filter(id=suspended.id).update(suspended_until=clock.now() + timedelta(days=1))
    cases = [
        (owner, live, 409, "no-prop-left"),
        (poor, live, 409, "insufficient-energy"),
        (stranger, live, 403, "not-friends"),
        (blocker, live, 403, "blocked"),
        (suspended, live, 403, "account-suspended"),
        (friend, collected, 409, "nothing-to-revive"),
        (friend, tiny, 409, "nothing-to-revive"),
        (friend, 987654, 404, "bubble-not-found"),
    ]
    for who, bubble_id, status, code in cases:
        response = await _revive(client, who, bubble_id)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    assert (await client.post(f"/api/v1/bubbles/{live}/revive")).status_code == 401
    balances = [await players.balance(p) for p in (owner, friend, poor, stranger, suspended)]
    assert balances == [25, 5_000, 100, 5_000, 5_000]
    clock.advance(seconds=settings.revive_window_seconds)
    owner, friend = await players.relog(owner, friend)
    late = await _revive(client, friend, live)
    assert (late.status_code, late.json()["type"]) == (410, "/problems/revive-window-closed")
    forest = await players.forest(owner)
    assert all(b["revived"] == 0 for b in forest["bubbles"])
    assert await reconcile() == []


async def test_twenty_friends_revive_at_once_and_exactly_one_pays(client, players):
    owner = await players.new("revived_owner")
    friends = await players.many(20, "reviver")
    await asyncio.gather(*(players.befriend(owner, f) for f in friends))
    for friend in friends:
        await players.give_energy(friend, 1_000)
    bubble_id = await _expired_bubble(players, owner)
    owner, *friends = await players.relog(owner, *friends)
    responses = await asyncio.gather(*(_revive(client, f, bubble_id) for f in friends))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 19}, [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["type"] for r in responses if r.status_code == 409} == {
        "/problems/already-revived"
    }
    balances = sorted([await players.balance(f) for f in friends])
    assert balances == [640] + [1_000] * 19
    assert await players.balance(owner) == 360
    assert await reconcile() == []


async def test_reconcile_finds_energy_revived_from_nowhere(client, players):
    from game.energy.models import Bubble
    from game.forest.models import Revival
    from game.leaderboards.models import BoardCount

    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    await players.give_energy(friend, 1_000)
    bubble_id = await _expired_bubble(players, owner)
    owner, friend = await players.relog(owner, friend)
    assert (await _revive(client, friend, bubble_id)).status_code == 200
    assert await reconcile() == []
    await Bubble.filter(id=bubble_id).update(revived=721)
    await Revival.filter(bubble_id=bubble_id).update(cost=300)
    await BoardCount.filter(user_id=friend.id).update(count=2)
    broken = {m.check for m in await reconcile()}
    assert {
        "bubble revived energy is part of its expired energy",
        "energy revived from bubbles = revive entries",
        "each revival gave its grams to the owner from the bubble's expired energy",
        "each friend's revival was paid by the friend, each owner's by a revive card",
        "revive_pay ledger = what reviving friends paid",
        "kindness = helps given + friends' bubbles revived",
    } <= broken
