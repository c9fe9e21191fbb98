"""Self-reported actions: the catalog, caps, idempotent replays, and what is refused."""

from __future__ import annotations

from datetime import datetime, timedelta


async def test_catalog_lists_scenarios_with_their_method(client):
    response = await client.get("/api/v1/scenarios")
    assert response.status_code == 200
    scenarios = {s["code"]: s for s in response.json()}
    assert len(scenarios) >= 15
    garment = scenarios["second_hand_garment"]
    assert (garment["grams_per_unit"], garment["unit"], garment["self_reportable"]) == (
        "720",
        "garment",
        False,
    )
    assert scenarios["second_hand_computer"]["grams_per_unit"] == "162640"
    assert scenarios["walking_steps"]["bubble"] == "daily"
    assert all(s["source"] for s in scenarios.values())


async def test_a_report_grows_a_bubble_that_ripens_later(players, clock):
    ada = await players.new()
    reported = await players.report(ada, "reusable_cup", "1")
    assert reported.status_code == 201
    body = reported.json()
    assert body["action"]["grams"] == 25
    assert (body["duplicate"], body["capped"]) == (False, False)
    bubble = body["bubble"]
    assert (bubble["state"], bubble["amount"]) == ("growing", 25)
    ripens_at = datetime.fromisoformat(bubble["ripens_at"])
    assert ripens_at - clock.now() == timedelta(seconds=300)
    expires_at = datetime.fromisoformat(bubble["expires_at"])
    assert expires_at - clock.now() == timedelta(hours=72)


async def test_reports_while_growing_top_up_the_same_bubble(players):
    ada = await players.new()
    first = (await players.report(ada, "no_plastic_bag", "1")).json()["bubble"]
    second = (await players.report(ada, "no_plastic_bag", "2")).json()["bubble"]
    assert first["id"] == second["id"]
    assert second["amount"] == 45
    forest = await players.forest(ada)
    assert [b["amount"] for b in forest["bubbles"]] == [45]


async def test_daily_cap_clips_then_refuses_then_resets_next_local_day(client, players, clock):
    bo = await players.new()
    assert (await players.report(bo, "reusable_cup", "1")).status_code == 201
    clipped = await players.report(bo, "reusable_cup", "3")
    assert clipped.status_code == 201
    assert clipped.json()["capped"] is True
    assert clipped.json()["action"]["credited_quantity"] == "1.000"
    refused = await players.report(bo, "reusable_cup", "1")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/daily-cap-reached"
    carbon = (await client.get("/api/v1/me/carbon", headers=bo.headers)).json()
    assert carbon["totals"]["today"] == 50
    # Shanghai midnight is 16:00 UTC; the test clock starts at 03:00 UTC.
    clock.advance(hours=13)
    bo = await players.log_in(bo.username, bo.id)  # the access token has expired meanwhile
    assert (await players.report(bo, "reusable_cup", "1")).status_code == 201


async def test_same_external_id_is_credited_once(client, players):
    chen = await players.new()
    first = await players.report(chen, "reusable_cup", "1", external_id="cup-2026-06-10")
    again = await players.report(chen, "reusable_cup", "1", external_id="cup-2026-06-10")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate"] is True
    assert again.json()["action"]["id"] == first.json()["action"]["id"]
    carbon = (await client.get("/api/v1/me/carbon", headers=chen.headers)).json()
    assert carbon["totals"]["all"] == 25
    # Another player may use the same id of their own.
    dara = await players.new()
    other = await players.report(dara, "reusable_cup", "1", external_id="cup-2026-06-10")
    assert other.status_code == 201


async def test_idempotency_key_replays_the_first_response(client, players):
    eve = await players.new()
    headers = {**eve.headers, "Idempotency-Key": "report-1"}
    body = {"scenario": "reusable_cup", "quantity": "1"}
    first = await client.post("/api/v1/actions", json=body, headers=headers)
    replay = await client.post("/api/v1/actions", json=body, headers=headers)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["idempotent-replayed"] == "true"
    changed = await client.post("/api/v1/actions", json={**body, "quantity": "2"}, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["type"] == "/problems/idempotency-key-reused"
    too_long = await client.post(
        "/api/v1/actions", json=body, headers={**eve.headers, "Idempotency-Key": "k" * 129}
    )
    assert too_long.status_code == 400
    carbon = (await client.get("/api/v1/me/carbon", headers=eve.headers)).json()
    assert carbon["totals"]["all"] == 25


async def test_carbon_summary_follows_the_players_calendar(client, players, clock):
    fay = await players.new(timezone="Europe/Berlin")
    await players.report(fay, "lights_off_hour", "1")
    clock.advance(days=7)
    fay = await players.log_in(fay.username, fay.id)
    assert (await players.report(fay, "no_plastic_bag", "2")).status_code == 201
    carbon = (await client.get("/api/v1/me/carbon", headers=fay.headers)).json()
    assert carbon["today"] == "2026-06-17"
    assert carbon["week_start"] == "2026-06-15"
    assert carbon["totals"] == {"today": 30, "week": 30, "month": 58, "all": 58}
    by_code = {s["scenario"]: s for s in carbon["scenarios"]}
    assert by_code["lights_off_hour"]["all_actions"] == 1


async def test_bad_reports_are_refused_and_change_nothing(client, players):
    gus = await players.new()
    cases = [
        ({"scenario": "metro_ride", "quantity": "10"}, 403, "scenario-not-self-reportable"),
        ({"scenario": "teleporting", "quantity": "1"}, 422, "unknown-scenario"),
        ({"scenario": "reusable_cup", "quantity": "0"}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": "-1"}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": -1}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": "1000000.001"}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": "1e300"}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": "NaN"}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": "Infinity"}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": "0.0001"}, 422, "invalid-quantity"),
        ({"scenario": "reusable_cup", "quantity": "abc"}, 400, "validation-failed"),
        ({"scenario": "reusable_cup", "quantity": [1]}, 400, "validation-failed"),
        ({"scenario": "reusable_cup"}, 400, "validation-failed"),
        ({"scenario": "reusable_cup", "quantity": "1", "grams": 10**9}, 400, "validation-failed"),
        (
            {"scenario": "reusable_cup", "quantity": "1", "external_id": ""},
            400,
            "validation-failed",
        ),
        ({"scenario": "reusable_cup", "quantity": "1", "external_id": "x" * 101}, 400, None),
        ({"scenario": "x" * 49, "quantity": "1"}, 400, "validation-failed"),
    ]
    for body, status, code in cases:
        response = await client.post("/api/v1/actions", json=body, headers=gus.headers)
        assert response.status_code == status, (body, response.text)
        if code:
            assert response.json()["type"] == f"/problems/{code}"
    for raw in (b"{", b"[]", b"null", b'"text"'):
        response = await client.post(
            "/api/v1/actions",
            content=raw,
            headers={**gus.headers, "content-type": "application/json"},
        )
        assert response.status_code == 400, raw
    oversized = await client.post(
        "/api/v1/actions",
        content=b'{"scenario": "' + b"x" * 2_000_000 + b'"}',
        headers={**gus.headers, "content-type": "application/json"},
    )
    assert oversized.status_code == 413
    assert oversized.json()["type"] == "/problems/payload-too-large"
    anonymous = await client.post(
        "/api/v1/actions", json={"scenario": "reusable_cup", "quantity": "1"}
    )
    assert anonymous.status_code == 401
    forest = await players.forest(gus)
    carbon = (await client.get("/api/v1/me/carbon", headers=gus.headers)).json()
    assert forest["bubbles"] == [] and carbon["totals"]["all"] == 0


async def test_quantities_outside_the_documented_format_are_refused(client, players):
    """Full-width digits, digit separators and padding are not decimals the API documents."""
    ivy = await players.new()
    for quantity in ("\uff11", "1_000", " 1 ", "1\n", "\u0661"):
        response = await players.report(ivy, quantity=quantity)
        assert response.status_code in (400, 422), (quantity, response.text)
        assert response.json()["type"] in (
            "/problems/validation-failed",
            "/problems/invalid-quantity",
        )
    assert (await players.forest(ivy))["bubbles"] == []
    assert (await players.report(ivy, quantity="1.5")).status_code == 201
