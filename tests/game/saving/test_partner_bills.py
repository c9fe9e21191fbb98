"""Bills from the power partner through the signed API: scope `bills`, the household's consent
to power data, judged once by the same rule as staff uploads (docs/partners.md#sending-bills)."""

from __future__ import annotations

from app.domains import reconcile
from game.partners.gate.models import PartnerCall
from game.rewards.models import BudgetPool, Voucher
from game.saving.bills.models import Bill
from tests.game.saving.test_bills import bill, programme

PATH = "/api/v1/partner/bills"


async def test_the_power_partner_sends_bills_judged_once_with_consent(
    client, players, partners, clock
):
    manager = await players.staff("campaign_manager")
    ada, bob, cyd = await players.new("ada"), await players.new("bob"), await players.new("cyd")
    programme_id, pool_id = await programme(client, manager)
    for player, ref in ((ada, "HY-001"), (bob, "HY-002"), (cyd, "HY-003")):
        joined = await client.post(
            f"/api/v1/bill-programmes/{programme_id}/households", json={"account_ref": ref},
            headers=player.headers,
        )  # fmt: skip
        assert joined.status_code == 201, joined.text
    grid = await partners.register("State Grid", scenarios=("peak_power_saving",), scopes=["bills"])
    await partners.link(ada, grid, "grid-ada", meter_readings=True)
    await partners.link(bob, grid, "grid-bob", meter_readings=False)  # a scenario, no power data
    # cyd gave the grid no consent at all.

    def item(ref: str, month: str, yuan: str) -> dict:
        return {**bill(ref, month, yuan), "programme_id": programme_id}

    last_year = await partners.post(
        grid, PATH, {"items": [item("HY-001", "2025-05", "120"), item("HY-002", "2025-05", "100")]}
    )
    assert last_year.status_code == 200, last_year.text
    assert [
        (i["status"], i.get("outcome"), i.get("reason")) for i in last_year.json()["items"]
    ] == [
        ("stored", "no-comparison", None),
        ("refused", None, "meter-readings-not-consented"),
    ]
    clock.advance(seconds=1)
    batch = {"items": [
        item("HY-001", "2026-05", "110"),
        item("HY-003", "2026-05", "50"),
        item("HY-404", "2026-05", "50"),
        {**item("HY-001", "2026-06", "50"), "programme_id": 9999},
        {**item("HY-001", "2026-06", "50"), "amount_fen": -1},
    ]}  # fmt: skip
    sent = await partners.post(grid, PATH, batch)
    assert sent.status_code == 200, sent.text
    answer = sent.json()
    assert [(i["status"], i.get("outcome"), i.get("reason")) for i in answer["items"]] == [
        ("stored", "voucher", None),
        ("refused", None, "no-consent"),
        ("refused", None, "unknown-household"),
        ("refused", None, "bill-programme-not-found"),
        ("refused", None, "malformed-item"),
    ]
    assert answer["items"][0]["drop_fen"] == 1_000 and "voucher_code" not in answer["items"][0]
    assert answer["counts"] == {"stored": 1, "refused": 4}
    mine = (await client.get("/api/v1/me/vouchers", headers=ada.headers)).json()["items"]
    assert [v["face_value_fen"] for v in mine] == [1_000]
    call = await PartnerCall.get(id=answer["call_id"])
    assert (call.outcome, call.items, call.counts) == ("ok", 5, {"stored": 1, "refused": 4})

    # The same signed request again is a replay; signed afresh, every bill is a duplicate.
    replay = await partners.post(grid, PATH, batch)
    assert replay.status_code == 409
    assert replay.json()["type"] == "/problems/replayed-request"
    clock.advance(seconds=1)
    retried = await partners.post(grid, PATH, batch)
    assert [i["status"] for i in retried.json()["items"]][:1] == ["duplicate"]
    assert await Voucher.all().count() == 1
    pool = await BudgetPool.get(id=pool_id)
    assert (pool.spent, pool.remaining) == (1_000, 999_000)

    # A revoked consent stops the next bill at once.
    revoked = await client.delete(
        "/api/v1/me/consents", params={"partner_id": grid.id}, headers=ada.headers
    )
    assert revoked.status_code == 200
    clock.advance(seconds=1)
    late = await partners.post(grid, PATH, {"items": [item("HY-001", "2026-07", "10")]})
    assert late.json()["items"][0]["reason"] == "consent-revoked"
    assert await Bill.all().count() == 2
    assert await reconcile() == []


async def test_a_partner_without_the_bills_scope_is_refused_whole(client, players, partners):
    manager = await players.staff("campaign_manager")
    ada = await players.new("ada")
    programme_id, _ = await programme(client, manager)
    await client.post(
        f"/api/v1/bill-programmes/{programme_id}/households", json={"account_ref": "HY-001"},
        headers=ada.headers,
    )  # fmt: skip
    grid = await partners.register(
        "Grid readings", scenarios=(), meter_readings=True, scopes=["power_events"]
    )
    await partners.link(ada, grid, "grid-ada", meter_readings=True)
    body = {"items": [{**bill("HY-001", "2025-05", "120"), "programme_id": programme_id}]}
    refused = await partners.post(grid, PATH, body)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/partner-scope-missing"
    unsigned = await client.post(PATH, json=body)
    assert unsigned.status_code == 401
    assert await Bill.all().count() == 0
    calls = await PartnerCall.filter(platform_id=grid.id)
    assert [c.outcome for c in calls] == ["partner-scope-missing"]
