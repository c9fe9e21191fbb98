"""Admins register partner platforms, see their keys (never a secret twice) and their calls."""

from __future__ import annotations

from datetime import timedelta

from game.partners.gate.audit import purge_old_calls
from game.partners.platforms.models import PartnerKey


async def test_register_list_and_audit(client, players, partners, clock):
    admin = await partners.admin()
    body = {
        "name": "Grid",
        "timezone": "Asia/Shanghai",
        "contact": "grid-ops@example.org",
        "scenarios": ["peak_power_saving"],
        "meter_readings": True,
        "daily_budget_grams": 5000,
    }
    made = await client.post("/api/v1/admin/partners", json=body, headers=admin.headers)
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    assert key["key_id"].startswith("pk_") and key["secret"].startswith("pss_")
    partner = made.json()["partner"]
    assert (partner["daily_budget_grams"], partner["requests_per_minute"]) == (5000, 120)
    # The secret is sealed at rest and never shown again.
    stored = await PartnerKey.get(key_id=key["key_id"])
    assert key["secret"].encode() not in bytes(stored.sealed_secret)
    listed = await client.get("/api/v1/admin/partners", headers=admin.headers)
    assert key["secret"] not in listed.text
    assert listed.json()[0]["keys"][0]["status"] == "active"
    one = await client.get(f"/api/v1/admin/partners/{partner['id']}", headers=admin.headers)
    assert one.json()["name"] == "Grid" and key["secret"] not in one.text
    # Its calls, refused ones included, are listed newest first.
    grid = type("P", (), {"id": partner["id"], "key_id": key["key_id"], "secret": key["secret"]})
    await partners.readings(grid, [])
    await partners.readings(grid, [], secret="pss_wrong")
    calls = await client.get(f"/api/v1/admin/partners/{partner['id']}/calls", headers=admin.headers)
    assert [c["outcome"] for c in calls.json()["items"]] == ["bad-signature", "ok"]
    assert calls.json()["items"][1]["path"] == "/api/v1/partner/meter-readings"


async def test_only_admins_manage_partners_and_input_is_checked(client, players, partners):
    player = await players.new()
    manager = await players.staff("campaign_manager")
    for who in (player, manager):
        refused = await client.post(
            "/api/v1/admin/partners",
            json={"name": "X", "timezone": "UTC", "contact": "x@y.z", "scenarios": ["bus_ride"]},
            headers=who.headers,
        )
        assert refused.status_code == 403
        assert (await client.get("/api/v1/admin/partners", headers=who.headers)).status_code == 403
    admin = await partners.admin()
    await partners.register("Metro")
    admin = await partners.admin()
    base = {
        "name": "Bus",
        "timezone": "UTC",
        "contact": "ops@bus.example",
        "scenarios": ["bus_ride"],
    }
    cases = [
        ({**base, "name": "Metro"}, 409, "partner-exists"),
        ({**base, "scenarios": ["teleporting"]}, 422, "unknown-scenario"),
        ({**base, "timezone": "Mars/Olympus"}, 422, "unknown-timezone"),
        ({**base, "scenarios": []}, 422, "partner-reports-nothing"),
        ({**base, "daily_budget_grams": -1}, 400, "validation-failed"),
        ({**base, "requests_per_minute": 0}, 400, "validation-failed"),
        ({**base, "secret": "mine"}, 400, "validation-failed"),
    ]
    for body, status, code in cases:
        response = await client.post("/api/v1/admin/partners", json=body, headers=admin.headers)
        assert response.status_code == status, (body, response.text)
        assert response.json()["type"] == f"/problems/{code}"
    missing = await client.post("/api/v1/admin/partners/99/rotate-secret", headers=admin.headers)
    assert (missing.status_code, missing.json()["type"]) == (404, "/problems/partner-not-found")
    no_key = await client.post(
        "/api/v1/admin/partners/1/keys/pk_nothing/revoke", json={}, headers=admin.headers
    )
    assert (no_key.status_code, no_key.json()["type"]) == (404, "/problems/partner-key-not-found")


async def test_old_call_audit_rows_are_purged(client, players, partners, clock):
    metro = await partners.register("Metro")
    await partners.actions(metro, [])
    clock.advance(days=89)
    await partners.actions(metro, [])
    clock.advance(days=2)
    assert await purge_old_calls(clock, timedelta(days=90)) == 1
    admin = await partners.admin()
    calls = await client.get(f"/api/v1/admin/partners/{metro.id}/calls", headers=admin.headers)
    assert len(calls.json()["items"]) == 1


async def test_revoking_needs_no_body_and_a_second_revocation_changes_nothing(
    client, players, partners, clock
):
    metro = await partners.register("Metro")
    admin = await partners.admin()
    path = f"/api/v1/admin/partners/{metro.id}/keys/{metro.key_id}/revoke"
    first = await client.post(path, headers=admin.headers)
    assert first.status_code == 200, first.text
    clock.advance(minutes=5)
    again = await client.post(path, json={"reason": "later"}, headers=admin.headers)
    assert again.json()["revoked_at"] == first.json()["revoked_at"]
    assert again.json()["revoked_reason"] == ""
