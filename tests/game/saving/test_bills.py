"""Bill-drop vouchers: more than 5 % below the same month last year earns a voucher equal to the
drop, from a capped pool that is never overspent (docs/power.md#bill-drop-vouchers)."""

from __future__ import annotations

import asyncio

from app.domains import reconcile
from game.rewards.models import BudgetPool, Voucher
from game.saving.bills.models import Bill


async def programme(client, manager, total: int = 1_000_000) -> tuple[int, int]:
    """A pool in fen and a programme paying from it; returns (programme id, pool id)."""
    pool = await client.post(
        "/api/v1/reward-pools",
        json={"name": "Huangyan vouchers", "unit": "fen", "unit_cost": 1, "total": total},
        headers=manager.headers,
    )
    assert pool.status_code == 201, pool.text
    made = await client.post(
        "/api/v1/bill-programmes",
        json={"name": "Save 1 yuan, get 1 yuan", "pool_id": pool.json()["id"]},
        headers=manager.headers,
    )
    assert made.status_code == 201, made.text
    assert made.json()["min_drop_percent"] == "5"
    return int(made.json()["id"]), int(pool.json()["id"])


def bill(ref: str, month: str, yuan: str, kwh: str = "200") -> dict:
    """A bill item with its amount given in yuan."""
    fen = int(yuan.replace(".", "")) if "." in yuan else int(yuan) * 100
    return {"account_ref": ref, "month": month, "amount_fen": fen, "kwh": kwh}


async def test_120_to_110_yuan_is_a_10_yuan_voucher_and_49_percent_earns_nothing(client, players):
    manager = await players.staff("campaign_manager")
    ada, bob = await players.new("ada"), await players.new("bob")
    programme_id, pool_id = await programme(client, manager)
    path = f"/api/v1/bill-programmes/{programme_id}"
    for player, ref in ((ada, "HY-001"), (bob, "HY-002")):
        joined = await client.post(
            f"{path}/households", json={"account_ref": ref}, headers=player.headers
        )
        assert joined.status_code == 201, joined.text
    taken = await client.post(
        f"{path}/households", json={"account_ref": "HY-001"}, headers=bob.headers
    )
    assert taken.status_code == 409

    last_year = await client.post(
        f"{path}/bills",
        json={"items": [bill("HY-001", "2025-05", "120"), bill("HY-002", "2025-05", "100")]},
        headers=manager.headers,
    )
    assert [i["outcome"] for i in last_year.json()] == ["no-comparison", "no-comparison"]
    this_year = await client.post(
        f"{path}/bills",
        json={"items": [
            bill("HY-001", "2026-05", "110", "180"),
            bill("HY-002", "2026-05", "95.10"),  # 4.9 % less
            bill("HY-404", "2026-05", "10"),
        ]},
        headers=manager.headers,
    )  # fmt: skip
    judged = this_year.json()
    assert [(i["status"], i["outcome"], i["drop_fen"]) for i in judged] == [
        ("stored", "voucher", 1_000),
        ("stored", "below-threshold", 490),
        ("refused", "unknown-household", 0),
    ]
    code = judged[0]["voucher_code"]
    voucher = await Voucher.get(code=code)
    assert (voucher.face_value_fen, voucher.owner_id) == (1_000, ada.id)
    mine = (await client.get("/api/v1/me/vouchers", headers=ada.headers)).json()["items"]
    assert [(v["code"], v["face_value_fen"]) for v in mine] == [(code, 1_000)]
    assert (await client.get("/api/v1/me/vouchers", headers=bob.headers)).json()["items"] == []

    # A month's bill is judged once: a resend changes nothing, so one voucher a month at most.
    again = await client.post(
        f"{path}/bills", json={"items": [bill("HY-001", "2026-05", "90")]},
        headers=manager.headers,
    )  # fmt: skip
    assert again.json()[0]["status"] == "duplicate"
    assert await Voucher.all().count() == 1
    pool = await BudgetPool.get(id=pool_id)
    assert (pool.spent, pool.remaining) == (1_000, 999_000)
    bills = (await client.get("/api/v1/me/bills", headers=ada.headers)).json()
    assert [(b["month"], b["outcome"]) for b in bills[0]["bills"]] == [
        ("2026-05", "voucher"), ("2025-05", "no-comparison"),
    ]  # fmt: skip
    inbox = (await client.get("/api/v1/me/notifications", headers=ada.headers)).json()["items"]
    assert [n["kind"] for n in inbox].count("bill_voucher") == 1

    # Players may not send bills, bad bills are refused whole.
    refused = await client.post(
        f"{path}/bills", json={"items": [bill("HY-001", "2026-06", "1")]}, headers=ada.headers
    )
    assert refused.status_code == 403
    for bad in ({"items": []}, {"items": [{**bill("HY-001", "2026-13", "1")}]},
                {"items": [bill("HY-001", "0000-01", "1")]},
                {"items": [{**bill("HY-001", "2026-06", "1"), "amount_fen": -5}]}):  # fmt: skip
        assert (
            await client.post(f"{path}/bills", json=bad, headers=manager.headers)
        ).status_code == 400
    assert await Bill.all().count() == 4
    assert await reconcile() == []


async def test_parallel_bills_never_overspend_the_pool(client, players):
    manager = await players.staff("campaign_manager")
    programme_id, pool_id = await programme(client, manager, total=5_000)
    path = f"/api/v1/bill-programmes/{programme_id}"
    crowd = await players.many(12, "home")
    for n, player in enumerate(crowd):
        await client.post(
            f"{path}/households", json={"account_ref": f"H{n}"}, headers=player.headers
        )
    await client.post(
        f"{path}/bills", json={"items": [bill(f"H{n}", "2025-05", "120") for n in range(12)]},
        headers=manager.headers,
    )  # fmt: skip
    answers = await asyncio.gather(*(
        client.post(f"{path}/bills", json={"items": [bill(f"H{n}", "2026-05", "110")]},
                    headers=manager.headers)
        for n in range(12)
    ))  # fmt: skip
    outcomes = sorted(a.json()[0]["outcome"] for a in answers)
    assert outcomes == ["pool-exhausted"] * 7 + ["voucher"] * 5, outcomes
    pool = await BudgetPool.get(id=pool_id)
    assert (pool.spent, pool.remaining) == (5_000, 0)
    assert await Voucher.all().count() == 5
    assert await reconcile() == []
