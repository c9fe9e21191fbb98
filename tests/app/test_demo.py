"""The demo data: a live carpool day paid from a coupon pool, with demo progress and medals."""

from __future__ import annotations

from datetime import UTC, datetime

from app.demo.seed import DEMO_PASSWORD
from app.domains import reconcile
from tests.servers import run_cli


async def _log_in(client, username):
    login = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_the_demo_runs_a_live_carpool_day_with_coupons_and_monthly_medals(
    client, players, settings
):
    seeded = run_cli(settings, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "demo campaign 1: National carpool day" in seeded.stdout
    assert "demo budget pool 1: 50 coupons of 500 fen" in seeded.stdout
    players.clock.set(datetime.now(UTC))  # the demo was made on the wall clock
    ada, bo, cam = [await _log_in(client, name) for name in ("ada", "bo", "cam")]
    live = (await client.get("/api/v1/campaigns", params={"state": "live"}, headers=ada)).json()
    assert [c["name"] for c in live["items"]] == ["National carpool day"]
    day = live["items"][0]["id"]
    mine = (await client.get(f"/api/v1/campaigns/{day}/progress", headers=ada)).json()
    assert (mine["progress"], mine["target"], mine["completed_at"]) == (2, 3, None)
    bos = (await client.get(f"/api/v1/campaigns/{day}/progress", headers=bo)).json()
    assert bos["completed_at"] is not None
    assert {r["kind"]: r["outcome"] for r in bos["rewards"]} == {
        "voucher": "granted", "energy": "granted", "medal": "granted",
    }  # fmt: skip
    board = (await client.get(f"/api/v1/campaigns/{day}/leaderboard", headers=ada)).json()
    assert [e["name"] for e in board["entries"]] == ["Bo", "Ada", "Chen"]
    medals = (await client.get("/api/v1/me/medals", headers=ada)).json()
    held = {(m["code"], m["tier"]) for m in medals["held"]}
    assert ("carbon_credits", "bronze") in held
    stats = (await client.get(f"/api/v1/campaigns/{day}/stats", headers=cam)).json()
    assert (stats["totals"]["participants"], stats["totals"]["completions"]) == (3, 1)
    assert stats["pools"][0]["spent_by_campaign"] == 500
    assert await reconcile() == []


async def test_the_demo_shows_power_events_a_bill_voucher_a_store_and_pickup_slots(
    client, players, settings
):
    seeded = run_cli(settings, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    assert "chen saved 0.8 kWh" in seeded.stdout
    players.clock.set(datetime.now(UTC))
    chen, bo, ada, cam, didi = [
        await _log_in(client, name) for name in ("chen", "bo", "ada", "cam", "didi")
    ]
    events = (await client.get("/api/v1/power-events", headers=chen)).json()
    me = events[0]["me"]
    assert (me["status"], me["saved_kwh"], me["co2_g"], me["reward_fen"]) == (
        "settled", "0.800", 456, 160,
    )  # fmt: skip
    stats = (await client.get(f"/api/v1/power-events/{events[0]['id']}/stats", headers=cam)).json()
    assert (stats["households"], stats["capacity_kw"]) == (1, "0.400")
    credit = (await client.get("/api/v1/me/store-credit", headers=chen)).json()
    assert credit["balance_fen"] == 160
    bills = (await client.get("/api/v1/me/bills", headers=bo)).json()
    assert (
        bills[0]["bills"][0]["outcome"] == "voucher" and bills[0]["bills"][0]["drop_fen"] == 1_000
    )
    items = (await client.get("/api/v1/store/items", headers=ada)).json()
    assert len(items) == 3
    code = (await client.get("/api/v1/me/vouchers", headers=ada)).json()["items"][0]["code"]
    taken = await client.post(f"/api/v1/merchant/vouchers/{code}/redeem", headers=didi)
    assert taken.status_code == 200, taken.text
    assert len((await client.get("/api/v1/me/pickups", headers=ada)).json()) == 1
    # Ada's screens have something to do: an event to opt in to, slots in two areas.
    upcoming = (await client.get("/api/v1/power-events", headers=ada)).json()
    assert [(e["name"], e["me"]) for e in upcoming] == [("Hot evening peak", None)]
    areas = (await client.get("/api/v1/pickup-areas", headers=ada)).json()
    assert [(a["area"], a["slots"]) for a in areas] == [("WH-HANKOU", 1), ("WH-HONGSHAN", 2)]
    assert await reconcile() == []
