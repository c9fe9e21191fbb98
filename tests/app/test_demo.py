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
