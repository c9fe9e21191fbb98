"""Peak-hour power saving: baseline from the previous weekdays, saved kWh paid at the event's
rate from its pool, credited once as `peak_power_saving` energy (docs/power.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.domains import reconcile
from game.carbon.models import Action
from game.saving.events.models import PowerEventEntry

JIANGXI = "CN-36"
# 19:00-21:00 in Shanghai on Wednesday 10 June 2026 (the tests' clock starts that morning).
WINDOW = datetime(2026, 6, 10, 11, 0, tzinfo=UTC)
BASELINE_DAYS = [date(2026, 6, d) for d in (9, 8, 5, 4, 3)]


def readings(ref: str, start: datetime, kwh_each: str, count: int = 8) -> list[dict]:
    """`count` quarter-hour readings of one meter from `start`."""
    return [
        {"meter_ref": f"meter-{ref}", "user_ref": ref, "kwh": kwh_each,
         "interval_start": (start + timedelta(minutes=15 * n)).isoformat()}
        for n in range(count)
    ]  # fmt: skip


def baseline(ref: str, days: list[date], kwh_each: str = "0.125") -> list[dict]:
    """The same window on earlier days (1 kWh over the window at 0.125 a quarter)."""
    items: list[dict] = []
    for day in days:
        start = datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)
        items += readings(ref, start, kwh_each)
    return items


async def pool(client, manager, total: int = 100_000) -> int:
    """A budget pool in fen."""
    made = await client.post(
        "/api/v1/reward-pools",
        json={"name": "Grid red packets", "unit": "fen", "unit_cost": 1, "total": total},
        headers=manager.headers,
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def announce(client, manager, pool_id: int, **extra) -> dict:
    """Announce 19:00-21:00 on 10 June in Jiangxi at 2 yuan per kWh, paid as store credit."""
    body = {"name": "Evening peak", "region": JIANGXI, "date": "2026-06-10", "start": "19:00",
            "end": "21:00", "pool_id": pool_id, "rate_fen_per_kwh": 200, **extra}  # fmt: skip
    made = await client.post("/api/v1/power-events", json=body, headers=manager.headers)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def test_saving_08_kwh_at_peak_pays_160_fen_and_456_g(client, players, partners, clock):
    manager = await players.staff("campaign_manager")
    ada = await players.new("ada", region=JIANGXI)
    bo = await players.new("bob", region=JIANGXI)
    cy = await players.new("cyd", region="CN-11")
    event = await announce(client, manager, await pool(client, manager))
    inbox = (await client.get("/api/v1/me/notifications", headers=ada.headers)).json()
    assert [n["kind"] for n in inbox["items"]] == ["power_event_invited"]
    assert (await client.get("/api/v1/me/notifications", headers=cy.headers)).json()["items"] == []

    path = f"/api/v1/power-events/{event['id']}/join"
    assert (await client.post(path, headers=ada.headers)).status_code == 201
    assert (await client.post(path, headers=ada.headers)).status_code == 200
    assert (await client.post(path, headers=bo.headers)).status_code == 201
    assert (await client.post(path, headers=cy.headers)).status_code == 404

    grid = await partners.register("State Grid", scenarios=(), meter_readings=True)
    await partners.link(ada, grid, "ada", meter_readings=True)
    await partners.link(bo, grid, "bo", meter_readings=True)
    sent = await partners.readings(grid, baseline("ada", BASELINE_DAYS))
    assert sent.json()["counts"] == {"stored": 40}, sent.text
    await partners.readings(grid, baseline("bo", BASELINE_DAYS[:2]))  # too little history

    clock.advance(hours=10, minutes=5)  # 21:05 in Shanghai: the window is over
    window = readings("ada", WINDOW, "0.025")  # 0.2 kWh over the window
    await partners.readings(grid, window[:7])
    assert (await PowerEventEntry.get(user_id=ada.id)).status == "joined"
    clock.advance(days=1)  # the last reading comes a day late: it settles then, once
    ada, bo = await players.relog(ada, bo)
    await partners.readings(grid, window[7:])
    shown = (await client.get(f"/api/v1/power-events/{event['id']}", headers=ada.headers)).json()
    assert shown["me"]["status"] == "settled"
    assert (shown["me"]["baseline_kwh"], shown["me"]["actual_kwh"]) == ("1.000", "0.200")
    assert (shown["me"]["saved_kwh"], shown["me"]["co2_g"], shown["me"]["reward_fen"]) == (
        "0.800", 456, 160,
    )  # fmt: skip
    credit = (await client.get("/api/v1/me/store-credit", headers=ada.headers)).json()
    assert credit["balance_fen"] == 160
    action = await Action.get(user_id=ada.id, scenario="peak_power_saving")
    assert action.grams == 456
    inbox = (await client.get("/api/v1/me/notifications", headers=ada.headers)).json()
    result = next(n for n in inbox["items"] if n["kind"] == "power_saving_result")
    assert result["data"]["message"] == "You saved 0.8 kWh, 456 g CO2, 1.60 yuan"

    # A corrected reading after settlement changes nothing: a household settles once.
    clock.advance(seconds=5)
    await partners.readings(grid, readings("ada", WINDOW, "0.001", 1))
    await partners.readings(grid, readings("bo", WINDOW, "0.010"))
    assert (await PowerEventEntry.get(user_id=ada.id)).reward_fen == 160
    assert await Action.filter(scenario="peak_power_saving").count() == 1
    assert (await PowerEventEntry.get(user_id=bo.id)).status == "no-baseline"

    manager = await players.refresh(manager)
    stats = await client.get(f"/api/v1/power-events/{event['id']}/stats", headers=manager.headers)
    assert stats.json() == {
        "event_id": event["id"], "invited": 2, "households": 2, "settled": 1,
        "no_baseline": 1, "missing_readings": 0, "awaiting_readings": 0, "saved_kwh": "0.800",
        "co2_g": 456,
        "reward_fen": 160, "capacity_kw": "0.400",
    }  # fmt: skip
    assert (
        await client.get(f"/api/v1/power-events/{event['id']}/stats", headers=ada.headers)
    ).status_code == 403
    assert await reconcile() == []


async def test_refusals_change_nothing(client, players, clock):
    manager = await players.staff("campaign_manager")
    ada = await players.new("ada", region=JIANGXI)
    pool_id = await pool(client, manager)
    base = {"name": "Peak", "region": JIANGXI, "date": "2026-06-10", "start": "19:00",
            "end": "21:00", "pool_id": pool_id}  # fmt: skip
    for bad, status in (
        ({**base, "start": "19:10"}, 422),
        ({**base, "end": "18:00"}, 422),
        ({**base, "date": "2026-06-09"}, 422),
        ({**base, "pool_id": 9999}, 404),
        ({**base, "payout": "cash"}, 400),
        ({**base, "rate_fen_per_kwh": -1}, 400),
        ({**base, "region": ""}, 400),
        ({**base, "timezone": "Mars/Olympus"}, 422),
    ):
        refused = await client.post("/api/v1/power-events", json=bad, headers=manager.headers)
        assert refused.status_code == status, (bad, refused.text)
    assert (
        await client.post("/api/v1/power-events", json=base, headers=ada.headers)
    ).status_code == 403
    assert await PowerEventEntry.all().count() == 0
    event = await announce(client, manager, pool_id)
    clock.advance(hours=8)  # 19:00 in Shanghai: the window has opened
    ada = await players.refresh(ada)
    late = await client.post(f"/api/v1/power-events/{event['id']}/join", headers=ada.headers)
    assert late.status_code == 409 and late.json()["type"] == "/problems/power-event-opt-in-closed"
    assert await PowerEventEntry.all().count() == 0


async def test_the_grid_partner_announces_an_event_through_the_signed_api(
    client, players, partners
):
    manager = await players.staff("campaign_manager")
    ada = await players.new("ada", region=JIANGXI)
    pool_id = await pool(client, manager)
    grid = await partners.register(
        "State Grid", scenarios=(), meter_readings=True, scopes=["power_events"]
    )
    other = await partners.register("Rides", scenarios=("metro_ride",))
    body = {"name": "Grid peak", "region": JIANGXI, "date": "2026-06-10", "start": "19:00",
            "end": "21:00", "pool_id": pool_id}  # fmt: skip
    refused = await partners.post(other, "/api/v1/partner/power-events", body)
    assert refused.status_code == 403
    made = await partners.post(grid, "/api/v1/partner/power-events", body)
    assert made.status_code == 201, made.text
    assert (
        made.json()["rate_fen_per_kwh"] == 200 and made.json()["grid_factor_kg_per_kwh"] == "0.5703"
    )
    listed = (await client.get("/api/v1/power-events", headers=ada.headers)).json()
    assert [e["name"] for e in listed] == ["Grid peak"]
