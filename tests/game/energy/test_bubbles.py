"""Bubbles ripen and expire by the clock; the owner collects; the ledger pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.domains import reconcile
from game.carbon.actions import ActionInput, record_action
from game.carbon.catalog import load_catalog
from game.energy.bubbles import expire_bubbles


async def _collect(client, player, bubble_id):
    return await client.post(f"/api/v1/bubbles/{bubble_id}/collect", headers=player.headers)


async def test_bubble_grows_ripens_and_expires_by_the_clock(players, clock):
    ada = await players.new()
    await players.report(ada)
    states = []
    for seconds in (299, 2, 72 * 3600):
        clock.advance(seconds=seconds)
        ada = await players.log_in(ada.username, ada.id)
        states.append((await players.forest(ada))["bubbles"][0])
    assert [b["state"] for b in states] == ["growing", "ripe", "expired"]
    assert (states[-1]["remaining"], states[-1]["expired"]) == (0, 25)


async def test_owner_collects_a_ripe_bubble_once(client, players):
    bo = await players.new()
    bubble = await players.ripe_bubble(bo)
    collected = await _collect(client, bo, bubble["id"])
    assert collected.status_code == 200
    assert collected.json()["collected"] == 25
    assert collected.json()["balance"] == 25
    assert collected.json()["bubble"]["state"] == "collected"
    again = await _collect(client, bo, bubble["id"])
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/bubble-empty"
    forest = await players.forest(bo)
    assert (forest["balance"], forest["lifetime_collected"]) == (25, 25)
    ledger = (await client.get("/api/v1/me/energy/ledger", headers=bo.headers)).json()
    assert [(e["kind"], e["delta"], e["balance_after"]) for e in ledger["items"]] == [
        ("collect", 25, 25)
    ]


async def test_collect_refusals_change_nothing(client, players, clock):
    chen = await players.new()
    dara = await players.new()
    growing = (await players.report(chen, "no_plastic_bag", "1")).json()["bubble"]
    unripe = await _collect(client, chen, growing["id"])
    assert (unripe.status_code, unripe.json()["type"]) == (409, "/problems/bubble-not-ripe")
    assert unripe.json()["ripens_at"]
    clock.advance(seconds=301)
    chen = await players.log_in(chen.username, chen.id)
    dara = await players.log_in(dara.username, dara.id)
    theirs = await _collect(client, dara, growing["id"])
    assert (theirs.status_code, theirs.json()["type"]) == (403, "/problems/not-your-bubble")
    missing = await _collect(client, chen, 987654321)
    assert (missing.status_code, missing.json()["type"]) == (404, "/problems/bubble-not-found")
    for bad_id in ("0", "-3", "abc", str(2**63)):
        response = await client.post(f"/api/v1/bubbles/{bad_id}/collect", headers=chen.headers)
        assert response.status_code in (400, 404), bad_id
        assert response.headers["content-type"].startswith("application/problem+json")
    anonymous = await client.post(f"/api/v1/bubbles/{growing['id']}/collect")
    assert anonymous.status_code == 401
    clock.advance(hours=72)
    chen = await players.log_in(chen.username, chen.id)
    expired = await _collect(client, chen, growing["id"])
    assert (expired.status_code, expired.json()["type"]) == (410, "/problems/bubble-expired")
    forest = await players.forest(chen)
    assert forest["balance"] == 0
    assert (await reconcile()) == []


async def test_ledger_pages_newest_first_with_a_cursor(client, players, clock):
    eve = await players.new()
    for _ in range(5):
        eve = await players.log_in(eve.username, eve.id)
        bubble = await players.ripe_bubble(eve)
        assert (await _collect(client, eve, bubble["id"])).status_code == 200
        clock.advance(days=1)
    eve = await players.log_in(eve.username, eve.id)
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get("/api/v1/me/energy/ledger", params=params, headers=eve.headers)
        ).json()
        seen.extend(e["id"] for e in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5 and seen == sorted(seen, reverse=True)
    balances = [
        e["balance_after"]
        for e in (
            await client.get("/api/v1/me/energy/ledger", params={"limit": 100}, headers=eve.headers)
        ).json()["items"]
    ]
    assert balances == [125, 100, 75, 50, 25]
    for params in (
        {"limit": 0},
        {"limit": 101},
        {"limit": "x"},
        {"cursor": "!!"},
        {"cursor": "aWQ6eA"},
    ):
        response = await client.get("/api/v1/me/energy/ledger", params=params, headers=eve.headers)
        assert response.status_code in (400, 422), params


async def test_daily_bubbles_ripen_next_local_morning(client, players, clock, app):
    """Step counts arrive from partners; one bubble a day, ripe at 07:00 local the next day."""
    fay = await players.new(timezone="Asia/Shanghai")
    catalog = load_catalog()
    timing = app.state.timing
    steps = catalog.get("walking_steps")
    for n, count in enumerate(("4000", "6000")):
        await record_action(
            clock,
            timing,
            ActionInput(
                user_id=fay.id,
                tz=ZoneInfo("Asia/Shanghai"),
                scenario=steps,
                quantity=Decimal(count),
                source="test-partner",
                external_id=f"steps-{n}",
            ),
        )
    forest = await players.forest(fay)
    assert len(forest["bubbles"]) == 1
    bubble = forest["bubbles"][0]
    # Each action is rounded down on its own: 4,000 steps give 105 g and 6,000 give 157 g.
    assert bubble["amount"] == 262
    ripens = datetime.fromisoformat(bubble["ripens_at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert (ripens.date().isoformat(), ripens.hour) == ("2026-06-11", 7)


async def test_expiry_sweep_writes_off_what_is_left(players, clock):
    gus = await players.new()
    await players.report(gus)
    clock.advance(hours=73)
    assert await expire_bubbles(clock) == 1
    assert await expire_bubbles(clock) == 0
    gus = await players.log_in(gus.username, gus.id)
    bubble = (await players.forest(gus))["bubbles"][0]
    assert (bubble["state"], bubble["remaining"], bubble["expired"]) == ("expired", 0, 25)
    assert (await reconcile()) == []
