"""The worker's bubble notices: ripe and expiring, once each, driven by the clock."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson

from game.energy.notices import send_bubble_notices
from tests.servers import server_env


async def _drain(subscriber, wait: float = 1.0) -> list[dict]:
    """The events that arrive within `wait`, each once by id, as a client keeps them: delivery
    is at least once (docs/realtime.md#how-events-travel)."""
    events, seen = [], set()
    try:
        async with asyncio.timeout(wait):
            async for raw in subscriber.events():
                event = orjson.loads(raw)
                if event.get("id") not in seen:
                    seen.add(event.get("id"))
                    events.append(event)
    except TimeoutError:
        pass
    return events


async def test_notices_follow_the_clock_and_are_sent_once(client, app, players, clock):
    ada = await players.new()
    bubble = (await players.report(ada)).json()["bubble"]
    events, router = app.state.events, app.state.router
    notice = timedelta(hours=1)
    async with router.subscription(ada.id) as subscriber:
        await _drain(subscriber, 0.3)  # what the stream held before this test
        first = await send_bubble_notices(clock, events, notice)  # the first run sets the mark
        assert (first.ripe, first.expiring) == (0, 0)
        clock.advance(seconds=299)
        assert (await send_bubble_notices(clock, events, notice)).ripe == 0
        clock.advance(seconds=2)
        assert (await send_bubble_notices(clock, events, notice)).ripe == 1
        assert (await send_bubble_notices(clock, events, notice)).ripe == 0
        clock.advance(hours=71)  # one hour before expiry
        run = await send_bubble_notices(clock, events, notice)
        assert (run.ripe, run.expiring) == (0, 1)
        received = await _drain(subscriber)
    notices = [e for e in received if e["type"] != "notification.new"]
    assert [(e["type"], e["data"]["bubble_id"]) for e in notices] == [
        ("bubble.ripe", bubble["id"]),
        ("bubble.expiring", bubble["id"]),
    ]


async def test_collected_bubbles_get_no_expiry_notice(client, app, players, clock):
    ada = await players.new()
    bubble = await players.ripe_bubble(ada)
    await send_bubble_notices(clock, app.state.events, timedelta(hours=1))
    await client.post(f"/api/v1/bubbles/{bubble['id']}/collect", headers=ada.headers)
    clock.advance(hours=71, minutes=55)
    run = await send_bubble_notices(clock, app.state.events, timedelta(hours=1))
    assert (run.ripe, run.expiring) == (0, 0)


async def test_worker_process_sends_bubble_ripe(client, app, players, settings):
    """A real `greenspark worker` process on the Redis queue notices a bubble ripening."""
    ada = await players.new()
    env = server_env(settings, GREENSPARK_NOTICE_CRON="* * * * * */1")
    worker = await asyncio.create_subprocess_exec(sys.executable, "-m", "app", "worker", env=env)
    try:
        async with app.state.router.subscription(ada.id) as subscriber:
            await _drain(subscriber, 0.3)
            # A bubble that ripens three seconds from now on the wall clock the worker uses.
            players.clock.set(datetime.now(UTC) - timedelta(seconds=297))
            ada = (await players.relog(ada))[0]
            reported = await players.report(ada)
            assert reported.status_code == 201
            received = await _drain(subscriber, 8.0)
        assert ("bubble.ripe", reported.json()["bubble"]["id"]) in [
            (e["type"], e["data"]["bubble_id"]) for e in received
        ]
    finally:
        worker.terminate()
        await asyncio.wait_for(worker.wait(), 30)
    assert worker.returncode == 0


async def test_worker_process_settles_a_campaign_once_its_grace_has_passed(
    client, app, players, settings
):
    """A real `greenspark worker` runs the campaigns job on GREENSPARK_CAMPAIGN_CRON."""
    from game.campaigns.lifecycle.models import Campaign

    # A campaign that ended an hour ago on the wall clock the worker uses.
    players.clock.set(datetime.now(UTC) - timedelta(hours=3))
    manager = await players.staff("campaign_manager")
    start = players.clock.now().astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    body = {
        "name": "Over", "timezone": "Asia/Shanghai", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(), "audience": {"kind": "everyone"},
        "goal": {"kind": "count", "target": 1},
    }  # fmt: skip
    made = await client.post("/api/v1/campaigns", json=body, headers=manager.headers)
    assert made.status_code == 201, made.text
    published = await client.patch(
        f"/api/v1/campaigns/{made.json()['id']}", json={"state": "scheduled"},
        headers=manager.headers,
    )  # fmt: skip
    assert published.status_code == 200, published.text
    env = server_env(
        settings, GREENSPARK_CAMPAIGN_CRON="* * * * * */1",
        GREENSPARK_CAMPAIGN_SETTLE_AFTER_SECONDS="1800",
    )  # fmt: skip
    worker = await asyncio.create_subprocess_exec(sys.executable, "-m", "app", "worker", env=env)
    try:
        for _ in range(300):  # polling another process's work, not standing in for game time
            campaign = await Campaign.get(id=made.json()["id"])
            if campaign.settled_at is not None:
                break
            await asyncio.sleep(0.1)
        assert campaign.stage == "settled"
        assert campaign.result is not None and campaign.result["participants"] == 0
    finally:
        worker.terminate()
        await asyncio.wait_for(worker.wait(), 30)
