"""Managing the store: restocking (a stock move each), taking items off sale and back, and
admins voiding vouchers without refunds (docs/store.md#managing-items)."""

from __future__ import annotations

import asyncio

from app.domains import reconcile
from game.rewards.models import Voucher
from game.store.models import Redemption, StockMove, StoreItem


async def test_restock_off_sale_and_back_on_sale(client, players, store):
    manager = await players.staff("campaign_manager")
    item = await store.item(price=10, stock=1, per_player_limit=5)
    ada = await players.new()
    await players.grant(ada, 100)
    assert (await store.redeem(ada, item["id"])).status_code == 201
    sold_out = await store.redeem(ada, item["id"])
    assert sold_out.json()["type"] == "/problems/store-item-out-of-stock"

    path = f"/api/v1/store/items/{item['id']}"
    restocked = await client.post(f"{path}/restock", json={"quantity": 3}, headers=manager.headers)
    assert restocked.status_code == 200, restocked.text
    shown = restocked.json()
    assert (shown["stock"], shown["sold"], shown["restocked"], shown["on_sale"]) == (3, 1, 3, True)
    assert (await store.redeem(ada, item["id"])).status_code == 201

    off = await client.patch(path, json={"on_sale": False}, headers=manager.headers)
    assert off.status_code == 200 and off.json()["on_sale"] is False
    shelf = (await client.get("/api/v1/store/items", headers=ada.headers)).json()
    assert shelf == []
    refused = await store.redeem(ada, item["id"])
    assert refused.status_code == 404 and refused.json()["type"] == "/problems/store-item-not-found"
    managed = (await client.get("/api/v1/store/managed-items", headers=manager.headers)).json()
    assert [(i["id"], i["on_sale"], i["stock"], i["sold"]) for i in managed] == [
        (item["id"], False, 2, 2)
    ]
    # An item off sale may still be restocked, then put back on sale.
    await client.post(f"{path}/restock", json={"quantity": 1}, headers=manager.headers)
    on = await client.patch(path, json={"on_sale": True}, headers=manager.headers)
    assert (on.json()["on_sale"], on.json()["stock"], on.json()["restocked"]) == (True, 3, 4)
    assert (await store.redeem(ada, item["id"])).status_code == 201
    assert [m.quantity for m in await StockMove.all().order_by("id")] == [3, 1]

    # Refusals change nothing.
    for body in ({"quantity": 0}, {"quantity": -2}, {"quantity": 1.5}, {}, {"quantity": 1, "x": 1}):
        bad = await client.post(f"{path}/restock", json=body, headers=manager.headers)
        assert bad.status_code == 400, (body, bad.text)
    too_many = await client.post(
        f"{path}/restock", json={"quantity": 1_000_000}, headers=manager.headers
    )
    assert too_many.status_code == 200
    for _ in range(8):
        await client.post(f"{path}/restock", json={"quantity": 1_000_000}, headers=manager.headers)
    over = await client.post(
        f"{path}/restock", json={"quantity": 1_000_000}, headers=manager.headers
    )
    assert over.status_code == 422 and over.json()["type"] == "/problems/store-stock-too-large"
    missing = await client.post(
        "/api/v1/store/items/9999/restock", json={"quantity": 1}, headers=manager.headers
    )
    assert missing.status_code == 404
    assert (
        await client.patch(
            "/api/v1/store/items/9999", json={"on_sale": False}, headers=manager.headers
        )
    ).status_code == 404
    assert (
        await client.patch(path, json={"on_sale": "no"}, headers=manager.headers)
    ).status_code == 400
    assert (
        await client.post(f"{path}/restock", json={"quantity": 1}, headers=ada.headers)
    ).status_code == 403
    assert (
        await client.patch(path, json={"on_sale": False}, headers=ada.headers)
    ).status_code == 403
    assert (await client.get("/api/v1/store/managed-items", headers=ada.headers)).status_code == 403
    held = await StoreItem.get(id=item["id"])
    assert (held.active, held.stock + held.sold - held.restocked) == (True, 1)
    assert await StockMove.all().count() == 11
    assert await reconcile() == []


async def test_restocks_racing_redemptions_keep_the_stock_reconciled(client, players, store):
    manager = await players.staff("campaign_manager")
    item = await store.item(price=5, stock=10, per_player_limit=1)
    crowd = await players.many(60)
    for player in crowd:
        await players.grant(player, 5)
    path = f"/api/v1/store/items/{item['id']}/restock"
    answers = await asyncio.gather(
        *(store.redeem(p, item["id"]) for p in crowd),
        *(client.post(path, json={"quantity": 5}, headers=manager.headers) for _ in range(8)),
    )
    redeemed, restocks = answers[:60], answers[60:]
    assert all(r.status_code == 200 for r in restocks), [r.text for r in restocks]
    bought = sum(1 for a in redeemed if a.status_code == 201)
    assert {a.json()["type"] for a in redeemed if a.status_code != 201} <= {
        "/problems/store-item-out-of-stock"
    }
    held = await StoreItem.get(id=item["id"])
    assert (held.sold, held.restocked) == (bought, 40)
    assert held.stock + held.sold == 10 + 40 and held.stock >= 0
    assert 10 <= bought <= 50
    assert await Redemption.all().count() == bought
    assert await reconcile() == []


async def test_an_admin_voids_a_voucher_nothing_refunded(client, players, store):
    didi, cashier = await store.merchant("Didi")
    admin = await store.admin()
    manager = await players.staff("campaign_manager")
    item = await store.item(
        kind="voucher", price=300, stock=5, per_player_limit=2, voucher_value_fen=500,
        voucher_valid_days=30, merchant_id=didi,
    )  # fmt: skip
    ada = await players.new()
    await players.grant(ada, 600)
    first = (await store.redeem(ada, item["id"])).json()["voucher"]["code"]
    second = (await store.redeem(ada, item["id"])).json()["voucher"]["code"]
    assert await players.balance(ada) == 0
    taken = await client.post(f"/api/v1/merchant/vouchers/{second}/redeem", headers=cashier.headers)
    assert taken.status_code == 200

    path = f"/api/v1/admin/vouchers/{first}/void"
    for who in (ada, manager, cashier):
        assert (
            await client.post(path, json={"reason": "fraud"}, headers=who.headers)
        ).status_code == 403
    voided = await client.post(path, json={"reason": "reported stolen"}, headers=admin.headers)
    assert voided.status_code == 200, voided.text
    assert voided.json()["state"] == "void" and voided.json()["voided_at"]
    again = await client.post(path, json={}, headers=admin.headers)
    assert again.status_code == 200 and again.json()["voided_at"] == voided.json()["voided_at"]
    stored = await Voucher.get(code=first)
    assert (stored.void_reason, stored.voided_by_id) == ("reported stolen", admin.id)
    assert await players.balance(ada) == 0  # nothing refunded
    refused = await client.post(
        f"/api/v1/merchant/vouchers/{first}/redeem", headers=cashier.headers
    )
    assert refused.status_code == 409 and refused.json()["type"] == "/problems/voucher-void"
    mine = (await client.get("/api/v1/me/vouchers", headers=ada.headers)).json()["items"]
    assert {v["code"]: v["state"] for v in mine} == {first: "void", second: "redeemed"}

    redeemed = await client.post(
        f"/api/v1/admin/vouchers/{second}/void", json={}, headers=admin.headers
    )
    assert redeemed.status_code == 409
    assert redeemed.json()["type"] == "/problems/voucher-already-redeemed"
    unknown = await client.post(
        "/api/v1/admin/vouchers/ZZZZZZZZZZZZ/void", json={}, headers=admin.headers
    )
    assert unknown.status_code == 404
    long_reason = await client.post(path, json={"reason": "x" * 201}, headers=admin.headers)
    assert long_reason.status_code == 400
    assert await Voucher.filter(status="void").count() == 1
    assert await reconcile() == []
