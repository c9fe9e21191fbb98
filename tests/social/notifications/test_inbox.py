"""The inbox: what happened while a player was away, with the change that caused it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import orjson

from app.domains import reconcile
from tests.events import events_of

INBOX = "/api/v1/me/notifications"

# Partner actions of these stories also earn monthly medals (a reward.granted each); the tests
# here are about other kinds, so their owners turn medal notices off as a player could.
NO_MEDALS = {"reward_granted": {"inbox": False, "push": False}}


async def without_medal_notices(client, player):
    chosen = await client.put(
        "/api/v1/me/notification-settings", json={"kinds": NO_MEDALS}, headers=player.headers
    )
    assert chosen.status_code == 200, chosen.text


async def _inbox(client, player, **params):
    response = await client.get(INBOX, params=params, headers=player.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _steal_and_water(client, players, owner, friend):
    """The friend steals from the owner's ripe bubble and waters them: two notifications."""
    await players.give_energy(friend, 100)
    bubble_id = await players.partner_bubble(owner, "second_hand_computer", "1")
    players.clock.advance(seconds=301)
    owner, friend = await players.relog(owner, friend)
    stolen = await client.post(f"/api/v1/bubbles/{bubble_id}/steal", headers=friend.headers)
    assert stolen.status_code == 200, stolen.text
    watered = await client.post(
        f"/api/v1/friends/{owner.id}/water", json={"grams": 18}, headers=friend.headers
    )
    assert watered.status_code == 200, watered.text
    return owner, friend, bubble_id


async def test_what_friends_did_waits_in_the_inbox_until_read(client, app, players):
    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    await without_medal_notices(client, owner)
    owner, friend, bubble_id = await _steal_and_water(client, players, owner, friend)

    inbox = await _inbox(client, owner)
    assert inbox["unread"] == 2 and inbox["next_cursor"] is None
    assert [(n["kind"], n["type"], n["read"]) for n in inbox["items"]] == [
        ("watered", "friend.watered", False),
        ("stolen_from", "bubble.stolen", False),
    ]
    assert inbox["items"][1]["data"] == {
        "bubble_id": bubble_id, "by_user_id": friend.id, "by_name": friend.username,
        "grams": 48_792, "remaining": 113_848,
    }  # fmt: skip
    assert [e["unread"] for e in await events_of(app, owner, "notification.new")] == [1, 2]
    # The friend was asked to be friends; the answer to a request is not a notification. The
    # request names its sender, whom a stranger's client could not name from an id alone.
    asked = (await _inbox(client, friend))["items"]
    named = [(n["kind"], n["data"]["from_name"]) for n in asked]
    assert named == [("friend_request", owner.username)]

    watered_id, stolen_id = (n["id"] for n in inbox["items"])
    count = await client.get(f"{INBOX}/unread-count", headers=owner.headers)
    assert count.json() == {"unread": 2}
    read = await client.post(f"{INBOX}/read", json={"ids": [stolen_id]}, headers=owner.headers)
    assert (read.status_code, read.json()) == (200, {"unread": 1})
    again = await client.post(f"{INBOX}/read", json={"ids": [stolen_id]}, headers=owner.headers)
    assert again.json() == {"unread": 1}
    assert [n["read"] for n in (await _inbox(client, owner))["items"]] == [False, True]
    assert [n["id"] for n in (await _inbox(client, owner, unread_only="true"))["items"]] == [
        watered_id
    ]
    everything = await client.post(f"{INBOX}/read", json={"all": True}, headers=owner.headers)
    assert everything.json() == {"unread": 0}
    deleted = await client.delete(f"{INBOX}/{stolen_id}", headers=owner.headers)
    assert deleted.status_code == 204
    gone = await client.delete(f"{INBOX}/{stolen_id}", headers=owner.headers)
    assert (gone.status_code, gone.json()["type"]) == (404, "/problems/notification-not-found")
    assert [n["id"] for n in (await _inbox(client, owner))["items"]] == [watered_id]
    assert await reconcile() == []


async def test_a_connected_player_sees_the_notification_live(client, app, players):
    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    await without_medal_notices(client, owner)
    async with app.state.router.subscription(owner.id) as subscriber:
        await _steal_and_water(client, players, owner, friend)
        received: list[dict] = []
        try:
            async with asyncio.timeout(2):
                async for raw in subscriber.events():
                    event = orjson.loads(raw)
                    # Delivery is at least once; a client keeps each event once, by id.
                    if all(e["id"] != event["id"] for e in received):
                        received.append(event)
                    if sum(e["type"] == "notification.new" for e in received) == 2:
                        break
        except TimeoutError:
            pass
    wanted = {"bubble.stolen", "friend.watered", "notification.new"}
    live = [(e["type"], e["data"].get("unread")) for e in received if e["type"] in wanted]
    assert live == [
        ("bubble.stolen", None),
        ("notification.new", 1),
        ("friend.watered", None),
        ("notification.new", 2),
    ]


async def test_pages_of_the_inbox_and_what_is_not_yours(client, players):
    owner = await players.new("popular")
    askers = await players.many(25, "asker")
    for asker in askers:
        asked = await client.post(
            "/api/v1/friends/requests", json={"user_id": owner.id}, headers=asker.headers
        )
        assert asked.status_code == 201
    seen, cursor = [], None
    while True:
        page = await _inbox(client, owner, limit=10, **({"cursor": cursor} if cursor else {}))
        seen += [n["data"]["from_user_id"] for n in page["items"]]
        assert page["unread"] == 25
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [a.id for a in reversed(askers)]
    mine = (await _inbox(client, owner, limit=1))["items"][0]["id"]
    other = askers[0]
    for response in (
        await client.post(f"{INBOX}/read", json={"ids": [mine]}, headers=other.headers),
        await client.delete(f"{INBOX}/{mine}", headers=other.headers),
    ):
        assert (response.status_code, response.json()["type"]) == (
            404,
            "/problems/notification-not-found",
        )
    assert (await _inbox(client, owner))["unread"] == 25
    cases = [
        ({}, 422, "read-target-required"),
        ({"all": False}, 422, "read-target-required"),
        ({"ids": [mine], "all": True}, 422, "read-target-required"),
        ({"ids": []}, 400, "validation-failed"),
        ({"ids": [0]}, 400, "validation-failed"),
        ({"ids": list(range(1, 102))}, 400, "validation-failed"),
        ({"ids": [mine], "note": "x"}, 400, "validation-failed"),
    ]
    for body, status, code in cases:
        response = await client.post(f"{INBOX}/read", json=body, headers=owner.headers)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    bad_cursor = await client.get(INBOX, params={"cursor": "nonsense"}, headers=owner.headers)
    assert bad_cursor.json()["type"] == "/problems/invalid-cursor"
    too_many = await client.get(INBOX, params={"limit": 101}, headers=owner.headers)
    assert too_many.status_code == 400
    assert (await client.get(INBOX)).status_code == 401
    assert (await _inbox(client, owner))["unread"] == 25


async def test_kinds_turned_off_stay_live_events_only(client, app, players):
    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    defaults = (await client.get("/api/v1/me/notification-settings", headers=owner.headers)).json()
    assert defaults["quiet_hours"] is None and defaults["timezone"] == "Asia/Shanghai"
    assert defaults["kinds"]["stolen_from"] == {"inbox": True, "push": True}
    assert set(defaults["kinds"]) >= {"helped", "revived", "weekly_results", "bubble_expiring"}
    chosen = await client.put(
        "/api/v1/me/notification-settings",
        json={"kinds": {"stolen_from": {"inbox": False}, **NO_MEDALS}, "quiet_hours": None},
        headers=owner.headers,
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["kinds"]["stolen_from"] == {"inbox": False, "push": True}
    owner, friend, _ = await _steal_and_water(client, players, owner, friend)
    assert [n["kind"] for n in (await _inbox(client, owner))["items"]] == ["watered"]
    assert len(await events_of(app, owner, "bubble.stolen")) == 1
    refusals = [
        ({"kinds": {"fireworks": {"inbox": False}}}, 422, "unknown-notification-kind"),
        ({"quiet_hours": {"start": "22:00", "end": "22:00"}}, 422, "invalid-quiet-hours"),
        ({"quiet_hours": {"start": "24:00", "end": "07:00"}}, 400, "validation-failed"),
        ({"quiet_hours": {"start": "7:00", "end": "08:00"}}, 400, "validation-failed"),
        ({"kinds": {"watered": {"inbox": "no"}}}, 400, "validation-failed"),
        ({"mute": True}, 400, "validation-failed"),
    ]
    for body, status, code in refusals:
        response = await client.put(
            "/api/v1/me/notification-settings", json=body, headers=owner.headers
        )
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    kept = (await client.get("/api/v1/me/notification-settings", headers=owner.headers)).json()
    assert kept["kinds"]["stolen_from"]["inbox"] is False


async def test_worker_notices_and_moderators_reach_the_inbox(client, app, players, clock):
    from game.energy.notices import send_bubble_notices

    ada = await players.new()
    mod = await players.moderator()
    bubble = await players.ripe_bubble(ada)
    await send_bubble_notices(clock, app.state.events, timedelta(hours=1))
    clock.advance(hours=71)
    await send_bubble_notices(clock, app.state.events, timedelta(hours=1))
    ada, mod = await players.relog(ada, mod)
    warned = await client.post(
        "/api/v1/moderation/actions",
        json={"action": "warn", "target_kind": "player", "target_id": ada.id, "reason": "spam"},
        headers=mod.headers,
    )
    assert warned.status_code in (200, 201), warned.text
    items = (await _inbox(client, ada))["items"]
    assert [n["kind"] for n in items] == ["moderation", "bubble_expiring"]
    assert items[1]["data"]["bubble_id"] == bubble["id"]


async def test_notifications_go_after_the_retention_period(client, app, players, clock, settings):
    from app.worker import purge_events_job

    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    owner, friend, _ = await _steal_and_water(client, players, owner, friend)
    first = (await _inbox(client, owner))["items"]
    await client.post(f"{INBOX}/read", json={"ids": [first[0]["id"]]}, headers=owner.headers)
    clock.advance(seconds=settings.notification_retention_seconds - 60)
    owner, friend = await players.relog(owner, friend)
    await client.post(
        f"/api/v1/friends/{owner.id}/water", json={"grams": 10}, headers=friend.headers
    )
    ctx = {"settings": settings, "clock": clock, "events": app.state.events}
    await purge_events_job(ctx)
    assert len((await _inbox(client, owner))["items"]) == 3
    clock.advance(seconds=120)
    owner = (await players.relog(owner))[0]
    assert await purge_events_job(ctx) >= 2
    left = await _inbox(client, owner)
    assert [(n["kind"], n["data"]["grams"]) for n in left["items"]] == [("watered", 10)]
    assert left["unread"] == 1
    assert await reconcile() == []


async def test_a_broken_inbox_never_fails_the_change(client, app, players):
    """With the inbox's table gone, a steal still commits, with its event and ledger row."""
    from tortoise import connections

    owner, friend = await players.new(), await players.new()
    await players.befriend(owner, friend)
    conn = connections.get("default")
    await conn.execute_script("ALTER TABLE notifications RENAME TO notifications_away")
    try:
        owner, friend, _ = await _steal_and_water(client, players, owner, friend)
    finally:
        await conn.execute_script("ALTER TABLE notifications_away RENAME TO notifications")
    assert await players.balance(friend) == 100 + 48_792 - 18
    assert len(await events_of(app, owner, "bubble.stolen")) == 1
    assert await events_of(app, owner, "notification.new") == []
    assert (await _inbox(client, owner))["items"] == []
    assert await reconcile() == []
