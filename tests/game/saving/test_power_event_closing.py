"""Power-saving events close: households whose window readings never came settle as
`missing-readings` after the grace days, once, even with two workers
(docs/power.md#missing-and-late-readings)."""

from __future__ import annotations

import asyncio

from app.domains import reconcile
from app.worker import power_events_job
from game.carbon.models import Action
from game.rewards.models import Grant
from game.saving.events.models import PowerEventEntry
from tests.game.saving.test_power_events import (
    BASELINE_DAYS,
    JIANGXI,
    WINDOW,
    announce,
    baseline,
    pool,
    readings,
)


async def test_households_still_waiting_close_as_missing_readings_once(
    client, app, players, partners, clock, settings
):
    manager = await players.staff("campaign_manager")
    ada = await players.new("ada", region=JIANGXI)
    bo = await players.new("bob", region=JIANGXI)
    event = await announce(client, manager, await pool(client, manager))
    for player in (ada, bo):
        joined = await client.post(
            f"/api/v1/power-events/{event['id']}/join", headers=player.headers
        )
        assert joined.status_code == 201
    grid = await partners.register("State Grid", scenarios=(), meter_readings=True)
    await partners.link(ada, grid, "ada", meter_readings=True)
    await partners.readings(grid, baseline("ada", BASELINE_DAYS))
    clock.advance(hours=10, minutes=5)  # 21:05 in Shanghai: the window is over
    window = readings("ada", WINDOW, "0.025")
    await partners.readings(grid, window[:7])  # one quarter of the window never comes
    ctx = {"settings": settings, "clock": clock, "events": app.state.events}

    # Up to three days after the window (13 June 21:00 in Shanghai) the households wait.
    clock.advance(days=3, minutes=-6)
    assert await power_events_job(ctx) == 0
    assert {e.status for e in await PowerEventEntry.all()} == {"joined"}
    clock.advance(minutes=2)
    # Two workers at once: each household closes exactly once.
    runs = await asyncio.gather(power_events_job(ctx), power_events_job(ctx))
    assert sum(runs) == 2, runs
    assert await power_events_job(ctx) == 0
    entries = await PowerEventEntry.all().order_by("id")
    assert [(e.status, e.reward_fen, e.saved_wh, e.grant_id) for e in entries] == [
        ("missing-readings", 0, 0, None), ("missing-readings", 0, 0, None),
    ]  # fmt: skip

    ada, bo, manager = await players.relog(ada, bo, manager)
    shown = (await client.get(f"/api/v1/power-events/{event['id']}", headers=ada.headers)).json()
    assert shown["me"]["status"] == "missing-readings"
    for player in (ada, bo):
        inbox = (await client.get("/api/v1/me/notifications", headers=player.headers)).json()
        results = [n for n in inbox["items"] if n["kind"] == "power_saving_result"]
        assert len(results) == 1
        assert results[0]["data"]["status"] == "missing-readings"

    # The missing reading arrives after all: nothing changes.
    clock.advance(seconds=5)
    late = await partners.readings(grid, window[7:])
    assert late.json()["counts"] == {"stored": 1}, late.text
    assert (await PowerEventEntry.get(user_id=ada.id)).status == "missing-readings"
    assert await Action.filter(scenario="peak_power_saving").count() == 0
    assert await Grant.all().count() == 0
    credit = (await client.get("/api/v1/me/store-credit", headers=ada.headers)).json()
    assert credit["balance_fen"] == 0

    stats = await client.get(f"/api/v1/power-events/{event['id']}/stats", headers=manager.headers)
    assert stats.json() == {
        "event_id": event["id"], "invited": 2, "households": 2, "settled": 0,
        "no_baseline": 0, "missing_readings": 2, "awaiting_readings": 0, "saved_kwh": "0.000",
        "co2_g": 0, "reward_fen": 0, "capacity_kw": "0.000",
    }  # fmt: skip
    assert await reconcile() == []


async def test_a_shorter_grace_closes_sooner_and_a_settled_household_is_left_alone(
    client, app, players, partners, clock, settings
):
    manager = await players.staff("campaign_manager")
    ada = await players.new("ada", region=JIANGXI)
    bo = await players.new("bob", region=JIANGXI)
    event = await announce(client, manager, await pool(client, manager))
    for player in (ada, bo):
        await client.post(f"/api/v1/power-events/{event['id']}/join", headers=player.headers)
    grid = await partners.register("State Grid", scenarios=(), meter_readings=True)
    await partners.link(ada, grid, "ada", meter_readings=True)
    await partners.readings(grid, baseline("ada", BASELINE_DAYS))
    clock.advance(hours=10, minutes=5)
    await partners.readings(grid, readings("ada", WINDOW, "0.025"))  # ada settles at once
    one_day = settings.model_copy(update={"power_event_readings_grace_days": 1})
    clock.advance(days=1)
    closed = await power_events_job(
        {"settings": one_day, "clock": clock, "events": app.state.events}
    )
    assert closed == 1
    statuses = {e.user_id: e.status for e in await PowerEventEntry.all()}
    assert statuses == {ada.id: "settled", bo.id: "missing-readings"}
    assert (await PowerEventEntry.get(user_id=ada.id)).reward_fen == 160
    assert await reconcile() == []
