"""Push: devices, the signed webhook on a real loopback receiver, retries, dead letters, quiet.

The worker's push job is called as the worker calls it (`app.worker.push_job` with its context),
with the test's ManualClock, so backoff and quiet hours are crossed without sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from app.worker import push_job
from social.notifications.gateway import WebhookGateway
from social.notifications.models import PushDelivery
from tests.servers import run_cli
from tests.social.notifications.test_inbox import NO_MEDALS, without_medal_notices
from tests.webhooks import WebhookReceiver

SECRET = "a-test-push-secret-of-some-length"
DEVICES = "/api/v1/me/devices"


async def _device(client, player, token="fcm-token-0001", platform="android"):  # noqa: S107
    response = await client.post(
        DEVICES, json={"platform": platform, "token": token}, headers=player.headers
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _run(app, settings, clock, receiver, **rules):
    """One run of the worker's push job against the receiver; returns how many it handled."""
    gateway = WebhookGateway(receiver.url, SECRET, 5.0) if receiver else None
    ctx = {
        "settings": settings.model_copy(update=rules),
        "clock": clock,
        "events": app.state.events,
        "gateway": gateway,
    }
    try:
        return await push_job(ctx)
    finally:
        if gateway is not None:
            await gateway.close()


async def _stolen_from(client, players, owner, thief):
    """The thief takes 30 % of a ripe 720 g bubble of the owner's: 216 g."""
    bubble_id = await players.partner_bubble(owner, "second_hand_garment", "1")
    players.clock.advance(seconds=301)
    owner, thief = await players.relog(owner, thief)
    stolen = await client.post(f"/api/v1/bubbles/{bubble_id}/steal", headers=thief.headers)
    assert stolen.status_code == 200, stolen.text
    return owner, thief


async def _statuses():
    return [(d.status, d.attempts) for d in await PushDelivery.all().order_by("id")]


async def test_a_steal_is_pushed_to_the_owners_devices_signed(client, app, players, settings):
    owner, thief = await players.new("owner"), await players.new("thief", display_name="Thief")
    await players.befriend(owner, thief)
    phone = await _device(client, owner, "fcm-token-phone")
    await _device(client, owner, "apns-token-tablet", "ios")
    owner, thief = await _stolen_from(client, players, owner, thief)
    with WebhookReceiver() as receiver:
        assert await _run(app, settings, players.clock, receiver) == 1
    [sent] = receiver.received
    stamp = sent.headers["X-Greenspark-Timestamp"]
    assert stamp == str(int(players.clock.now().timestamp()))
    expected = hmac.new(SECRET.encode(), f"{stamp}.".encode() + sent.body, hashlib.sha256)
    assert sent.headers["X-Greenspark-Signature"] == f"sha256={expected.hexdigest()}"
    body = sent.json()
    assert sent.headers["X-Greenspark-Delivery"] == str(body["delivery_id"])
    assert body["user_id"] == owner.id and body["unread"] == 1
    assert [(d["platform"], d["token"]) for d in body["devices"]] == [
        ("android", "fcm-token-phone"),
        ("ios", "apns-token-tablet"),
    ]
    assert body["devices"][0]["id"] == phone["id"]
    note = body["notification"]
    assert (note["kind"], note["type"], note["title"]) == (
        "stolen_from",
        "bubble.stolen",
        "Energy taken",
    )
    assert note["body"] == "Thief took 216 g from your forest"
    assert await _statuses() == [("sent", 1)]
    with WebhookReceiver() as again:
        assert await _run(app, settings, players.clock, again) == 0
    assert again.received == []


async def test_a_failed_push_is_retried_with_backoff_then_dead_lettered(
    client, app, players, settings
):
    owner, thief = await players.new(), await players.new()
    await players.befriend(owner, thief)
    await _device(client, owner)
    await without_medal_notices(client, owner)
    owner, thief = await _stolen_from(client, players, owner, thief)
    clock = players.clock
    with WebhookReceiver() as receiver:
        receiver.answer(500)
        assert await _run(app, settings, clock, receiver) == 1
        assert await _statuses() == [("pending", 1)]
        assert await _run(app, settings, clock, receiver) == 0  # not before the backoff
        clock.advance(seconds=settings.push_backoff_seconds)
        assert await _run(app, settings, clock, receiver) == 1
    assert [r.status for r in receiver.received] == [500, 200]
    assert await _statuses() == [("sent", 2)]

    await PushDelivery.all().delete()
    owner, thief = await _stolen_from(client, players, owner, thief)
    with WebhookReceiver() as failing:
        failing.answer(503, 503, 503)
        for wait in (0, 30, 60):
            clock.advance(seconds=wait)
            await _run(app, settings, clock, failing, push_max_attempts=3)
    assert [r.status for r in failing.received] == [503, 503, 503]
    [dead] = await PushDelivery.filter(status="dead")
    assert (dead.attempts, dead.last_error) == (3, "HTTP 503")
    listed = run_cli(settings, "dead-letters")
    assert listed.returncode == 0 and listed.stdout.startswith(f"{dead.id}\tuser {owner.id}")
    assert run_cli(settings, "dead-letters", "--retry").stdout.strip() == "queued 1 push(es) again"
    # The command line queues it for the wall clock's now; the test's clock catches up.
    clock.set(max(clock.now(), datetime.now(UTC)) + timedelta(seconds=1))
    with WebhookReceiver() as healed:
        assert await _run(app, settings, clock, healed) == 1
    assert len(healed.received) == 1 and await _statuses() == [("sent", 1)]


async def test_a_refusing_receiver_dead_letters_at_once(client, app, players, settings):
    owner, thief = await players.new(), await players.new()
    await players.befriend(owner, thief)
    await _device(client, owner)
    owner, thief = await _stolen_from(client, players, owner, thief)
    with WebhookReceiver() as receiver:
        receiver.answer(400)
        await _run(app, settings, players.clock, receiver)
    assert await _statuses() == [("dead", 1)]


async def test_quiet_hours_hold_pushes_until_they_end(client, app, players, settings):
    # 11:00 in Shanghai at the start of every test; quiet from 10:30 to 12:00 local.
    owner, thief = await players.new(), await players.new()
    await players.befriend(owner, thief)
    await _device(client, owner)
    quiet = await client.put(
        "/api/v1/me/notification-settings",
        json={"quiet_hours": {"start": "10:30", "end": "12:00"}},
        headers=owner.headers,
    )
    assert quiet.json()["quiet_hours"] == {"start": "10:30", "end": "12:00"}
    owner, thief = await _stolen_from(client, players, owner, thief)
    clock = players.clock
    with WebhookReceiver() as receiver:
        assert await _run(app, settings, clock, receiver) == 1  # held, not sent
        clock.advance(minutes=50)  # 11:55
        assert await _run(app, settings, clock, receiver) == 0
        assert receiver.received == []
        clock.advance(minutes=5)  # 12:00
        assert await _run(app, settings, clock, receiver) == 1
    assert len(receiver.received) == 1 and await _statuses() == [("sent", 1)]
    owner = (await players.relog(owner))[0]
    inbox = (await client.get("/api/v1/me/notifications", headers=owner.headers)).json()
    assert inbox["unread"] == 1


async def test_quiet_hours_across_midnight_in_the_players_own_zone(client, app, players, settings):
    # 05:00 in New York when it is 11:00 in Shanghai; quiet from 22:00 to 07:00 there.
    owner = await players.new("nyc", timezone="America/New_York")
    thief = await players.new()
    await players.befriend(owner, thief)
    await _device(client, owner)
    await client.put(
        "/api/v1/me/notification-settings",
        json={"quiet_hours": {"start": "22:00", "end": "07:00"}},
        headers=owner.headers,
    )
    owner, thief = await _stolen_from(client, players, owner, thief)
    clock = players.clock
    with WebhookReceiver() as receiver:
        await _run(app, settings, clock, receiver)
        [held] = await PushDelivery.all()
        assert held.next_attempt_at.isoformat() == "2026-06-10T11:00:00+00:00"  # 07:00 EDT
        clock.set(held.next_attempt_at)
        await _run(app, settings, clock, receiver)
    assert len(receiver.received) == 1


async def test_settings_devices_and_staleness_decide_what_is_pushed(client, app, players, settings):
    from datetime import timedelta

    from game.energy.notices import send_bubble_notices

    owner, thief, deviceless = [await players.new() for _ in range(3)]
    await players.befriend(owner, thief)
    await players.befriend(deviceless, thief)
    await _device(client, owner)
    await client.put(
        "/api/v1/me/notification-settings",
        json={
            "kinds": {"stolen_from": {"push": False}, **NO_MEDALS},
            "quiet_hours": {"start": "10:00", "end": "23:00"},
        },
        headers=owner.headers,
    )
    owner, thief = await _stolen_from(client, players, owner, thief)
    deviceless, thief = await _stolen_from(client, players, deviceless, thief)
    assert await PushDelivery.all().count() == 0  # push off for this kind; no device
    inbox = (await client.get("/api/v1/me/notifications", headers=owner.headers)).json()
    assert [n["kind"] for n in inbox["items"]] == ["stolen_from"]
    clock, notice = players.clock, timedelta(hours=1)
    await send_bubble_notices(clock, app.state.events, notice)
    clock.advance(hours=70, minutes=50)  # 10:00 in Shanghai, an hour before the owner's expiry
    await send_bubble_notices(clock, app.state.events, notice)
    [expiring] = await PushDelivery.all()
    assert expiring.kind == "bubble_expiring"
    with WebhookReceiver() as receiver:
        await _run(app, settings, clock, receiver)  # quiet until 23:00 local: held
        clock.advance(hours=2)  # the bubble has expired; still quiet
        assert await _run(app, settings, clock, receiver) == 0
        clock.advance(hours=11)
        assert await _run(app, settings, clock, receiver) == 1
    assert receiver.received == []
    assert await _statuses() == [("dropped", 0)]
    assert (await PushDelivery.get()).last_error == "no longer relevant"

    await PushDelivery.all().delete()
    owner = (await players.relog(owner))[0]
    assert (
        await client.put(
            "/api/v1/me/notification-settings", json={"kinds": NO_MEDALS}, headers=owner.headers
        )
    ).json()["quiet_hours"] is None
    owner, thief = await _stolen_from(client, players, owner, thief)
    assert await _run(app, settings, clock, None) == 1
    assert await _statuses() == [("dropped", 0)]
    assert (await PushDelivery.get()).last_error == "push is not configured"


async def test_devices_are_registered_listed_moved_and_removed(client, players, settings):
    ada, bo = await players.new(), await players.new()
    first = await client.post(
        DEVICES, json={"platform": "android", "token": "fcm-token-ada"}, headers=ada.headers
    )
    assert first.status_code == 201 and set(first.json()) == {"id", "platform", "registered_at"}
    again = await client.post(
        DEVICES, json={"platform": "android", "token": "fcm-token-ada"}, headers=ada.headers
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    # The same phone signs in as Bo: its token now pushes to Bo only.
    moved = await client.post(
        DEVICES, json={"platform": "android", "token": "fcm-token-ada"}, headers=bo.headers
    )
    assert moved.status_code == 201 and moved.json()["id"] == first.json()["id"]
    assert (await client.get(DEVICES, headers=ada.headers)).json() == []
    assert [d["id"] for d in (await client.get(DEVICES, headers=bo.headers)).json()] == [
        first.json()["id"]
    ]
    refusals = [
        ({"platform": "pager", "token": "fcm-token-xyz"}, 400, "validation-failed"),
        ({"platform": "ios", "token": "short"}, 400, "validation-failed"),
        ({"platform": "ios", "token": "has spaces in it"}, 400, "validation-failed"),
        ({"platform": "ios", "token": "x" * 513}, 400, "validation-failed"),
        ({"platform": "ios"}, 400, "validation-failed"),
        ({"platform": "ios", "token": "fcm-token-xyz", "extra": 1}, 400, "validation-failed"),
    ]
    for body, status, code in refusals:
        response = await client.post(DEVICES, json=body, headers=ada.headers)
        assert (response.status_code, response.json()["type"]) == (status, f"/problems/{code}")
    for n in range(settings.max_devices_per_player):
        await _device(client, ada, f"ada-device-{n:02d}")
    full = await client.post(
        DEVICES, json={"platform": "web", "token": "one-too-many"}, headers=ada.headers
    )
    assert (full.status_code, full.json()["type"]) == (409, "/problems/too-many-devices")
    bos = first.json()["id"]
    others = await client.delete(f"{DEVICES}/{bos}", headers=ada.headers)
    assert (others.status_code, others.json()["type"]) == (404, "/problems/device-not-found")
    assert (await client.delete(f"{DEVICES}/{bos}", headers=bo.headers)).status_code == 204
    assert (await client.get(DEVICES, headers=bo.headers)).json() == []
    assert (
        await client.post(DEVICES, json={"platform": "ios", "token": "abcdefgh"})
    ).status_code == 401
