"""Consents: a player links an account at a partner, replaces and revokes it; history stays."""

from __future__ import annotations

import asyncio

from app.domains import reconcile


async def test_grant_list_replace_and_revoke(client, players, partners, clock):
    ada = await players.new()
    metro = await partners.register("Metro")
    listed = (await client.get("/api/v1/partners", headers=ada.headers)).json()
    assert [(p["name"], p["meter_readings"]) for p in listed] == [("Metro", False)]
    first = await partners.link(ada, metro, "card-ada", scenarios=["metro_ride"])
    assert (first["scenarios"], first["current"], first["partner_name"]) == (
        ["metro_ride"],
        True,
        "Metro",
    )
    clock.advance(minutes=1)
    second = await partners.link(ada, metro, "card-ada-2")  # every scenario the partner reports
    assert sorted(second["scenarios"]) == sorted(listed[0]["scenarios"])
    clock.advance(minutes=1)
    revoked = await client.delete(
        "/api/v1/me/consents", params={"partner_id": metro.id}, headers=ada.headers
    )
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["current"], revoked.json()["revoked_reason"]) == (False, "player")
    history = (await client.get("/api/v1/me/consents", headers=ada.headers)).json()["items"]
    assert [(c["user_ref"], c["revoked_reason"]) for c in history] == [
        ("card-ada-2", "player"),
        ("card-ada", "replaced"),
    ]
    assert all(c["revoked_at"] for c in history)
    again = await client.delete(
        "/api/v1/me/consents", params={"partner_id": metro.id}, headers=ada.headers
    )
    assert (again.status_code, again.json()["type"]) == (404, "/problems/consent-not-found")
    page = await client.get("/api/v1/me/consents", params={"limit": 1}, headers=ada.headers)
    assert len(page.json()["items"]) == 1 and page.json()["next_cursor"]


async def test_consent_refusals(client, players, partners):
    ada, bo = await players.new(), await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-shared")
    cases = [
        ({"partner_id": metro.id, "user_ref": "card-shared"}, 409, "user-ref-linked-elsewhere"),
        ({"partner_id": 999, "user_ref": "x"}, 404, "partner-not-found"),
        ({"partner_id": metro.id, "user_ref": "x", "scenarios": ["reusable_cup"]}, 422,
         "not-offered-by-partner"),
        ({"partner_id": metro.id, "user_ref": "x", "meter_readings": True}, 422,
         "not-offered-by-partner"),
        ({"partner_id": metro.id, "user_ref": "x", "scenarios": []}, 422, "consent-covers-nothing"),
        ({"partner_id": metro.id, "user_ref": "has space"}, 400, "validation-failed"),
        ({"partner_id": metro.id, "user_ref": ""}, 400, "validation-failed"),
        ({"partner_id": metro.id}, 400, "validation-failed"),
        ({"partner_id": 0, "user_ref": "x"}, 400, "validation-failed"),
    ]  # fmt: skip
    for body, status, code in cases:
        response = await client.post("/api/v1/me/consents", json=body, headers=bo.headers)
        assert response.status_code == status, (body, response.text)
        assert response.json()["type"] == f"/problems/{code}"
    assert (await client.get("/api/v1/me/consents", headers=bo.headers)).json()["items"] == []
    nobody = await client.post(
        "/api/v1/me/consents", json={"partner_id": metro.id, "user_ref": "x"}
    )
    assert nobody.status_code == 401


async def test_revoking_stops_credits_at_once(client, players, partners, clock):
    ada = await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    assert (await partners.actions(metro, [partners.item("card-ada")])).json()["counts"] == {
        "credited": 1
    }
    revoked = await client.delete(
        "/api/v1/me/consents", params={"partner_id": metro.id}, headers=ada.headers
    )
    assert revoked.status_code == 200
    clock.advance(seconds=1)
    after = await partners.actions(metro, [partners.item("card-ada")])
    assert after.json()["items"][0]["reason"] == "consent-revoked"
    # The user_ref is free again: another player may link it, and credits go to them.
    bo = await players.new()
    await partners.link(bo, metro, "card-ada")
    clock.advance(seconds=1)
    to_bo = await partners.actions(metro, [partners.item("card-ada")])
    assert to_bo.json()["items"][0]["status"] == "credited"
    assert (await players.forest(bo))["bubbles"][0]["amount"] == 429
    assert len((await players.forest(ada))["bubbles"]) == 1
    assert await reconcile() == []


async def test_a_revocation_racing_a_batch_never_leaves_a_credit_after_it(
    client, players, partners, clock
):
    ada = await players.new()
    bus = await partners.register("Bus", scenarios=("bus_ride",))
    await partners.link(ada, bus, "card-ada")
    items = [partners.item("card-ada", "bus_ride", "1", external_id=f"b{n}") for n in range(6)]
    sent, revoked = await asyncio.gather(
        partners.actions(bus, items),
        client.delete("/api/v1/me/consents", params={"partner_id": bus.id}, headers=ada.headers),
    )
    assert sent.status_code == 200 and revoked.status_code == 200
    statuses = [o["status"] for o in sent.json()["items"]]
    # Credits first, refusals after the revocation: never a credit once it was refused.
    assert statuses == sorted(statuses, key=lambda s: s != "credited")
    assert await reconcile() == []
