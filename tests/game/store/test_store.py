"""The low-carbon store: redeeming within stock and limits, vouchers taken once by merchants."""

from __future__ import annotations

from app.domains import reconcile
from game.energy.models import LedgerEntry
from game.rewards.models import Voucher
from game.store.models import Redemption, StoreItem


async def test_a_voucher_is_bought_with_energy_and_taken_once_by_its_merchant(
    client, players, store, clock
):
    didi, cashier = await store.merchant("Didi")
    _, other_cashier = await store.merchant("Eleme")
    item = await store.item(
        name="5 yuan ride voucher", kind="voucher", price=500, stock=3,
        voucher_value_fen=500, voucher_valid_days=30, merchant_id=didi,
    )  # fmt: skip
    ada = await players.new()
    await players.grant(ada, 800)
    bought = await store.redeem(ada, item["id"])
    assert bought.status_code == 201, bought.text
    body = bought.json()
    assert body["item"]["stock"] == 2 and body["item"]["redeemed_by_me"] == 1
    code = body["voucher"]["code"]
    assert len(code) == 12 and body["voucher"]["face_value_fen"] == 500
    assert await players.balance(ada) == 300
    mine = (await client.get("/api/v1/me/vouchers", headers=ada.headers)).json()["items"]
    assert [(v["code"], v["state"], v["from_store"]) for v in mine] == [(code, "issued", True)]

    # Another merchant cannot see or take it; a player cannot use the merchant path.
    foreign = await client.post(
        f"/api/v1/merchant/vouchers/{code}/redeem", headers=other_cashier.headers
    )
    assert foreign.status_code == 404 and foreign.json()["type"] == "/problems/voucher-not-found"
    as_player = await client.post(f"/api/v1/merchant/vouchers/{code}/redeem", headers=ada.headers)
    assert as_player.status_code == 403

    taken = await client.post(f"/api/v1/merchant/vouchers/{code}/redeem", headers=cashier.headers)
    assert taken.status_code == 200, taken.text
    assert taken.json()["state"] == "redeemed" and taken.json()["merchant_id"] == didi
    again = await client.post(f"/api/v1/merchant/vouchers/{code}/redeem", headers=cashier.headers)
    assert again.status_code == 409 and again.json()["type"] == "/problems/voucher-already-redeemed"
    seen = await client.get("/api/v1/merchant/redemptions", headers=cashier.headers)
    assert [v["code"] for v in seen.json()["items"]] == [code]
    other_seen = await client.get("/api/v1/merchant/redemptions", headers=other_cashier.headers)
    assert other_seen.json()["items"] == []
    assert await reconcile() == []


async def test_an_expired_voucher_is_refused_clearly(client, players, store, clock):
    didi, cashier = await store.merchant("Didi")
    item = await store.item(
        kind="voucher", price=10, voucher_value_fen=300, voucher_valid_days=7, merchant_id=didi
    )
    ada = await players.new()
    await players.grant(ada, 10)
    code = (await store.redeem(ada, item["id"])).json()["voucher"]["code"]
    clock.advance(days=7)
    cashier = await players.refresh(cashier)
    late = await client.post(f"/api/v1/merchant/vouchers/{code}/redeem", headers=cashier.headers)
    assert late.status_code == 410 and late.json()["type"] == "/problems/voucher-expired"
    unknown = await client.post(
        "/api/v1/merchant/vouchers/ZZZZZZZZZZZZ/redeem", headers=cashier.headers
    )
    assert unknown.status_code == 404
    voucher = await Voucher.get(code=code)
    assert voucher.status == "issued" and voucher.merchant_id is None


async def test_every_refused_redemption_changes_nothing(client, players, store):
    ada = await players.new()
    await players.grant(ada, 150)
    one_each = await store.item(price=100, stock=5, per_player_limit=1)
    sold_out = await store.item(price=10, stock=0)
    dear = await store.item(price=1_000, stock=5)
    by_credit = await store.item(currency="credit", price=100, stock=5)
    assert (await store.redeem(ada, one_each["id"])).status_code == 201
    refusals = [
        (one_each["id"], 409, "store-item-limit-reached"),
        (sold_out["id"], 409, "store-item-out-of-stock"),
        (dear["id"], 409, "insufficient-energy"),
        (by_credit["id"], 409, "insufficient-store-credit"),
        (999_999, 404, "store-item-not-found"),
    ]
    for item_id, status, code in refusals:
        refused = await store.redeem(ada, item_id)
        assert (refused.status_code, refused.json()["type"]) == (status, f"/problems/{code}"), (
            refused.text
        )
    assert await players.balance(ada) == 50
    assert await Redemption.all().count() == 1
    stocks = dict(await StoreItem.all().values_list("id", "stock"))
    assert stocks == {one_each["id"]: 4, sold_out["id"]: 0, dear["id"]: 5, by_credit["id"]: 5}
    shelf = (await client.get("/api/v1/store/items", headers=ada.headers)).json()
    assert [i["redeemed_by_me"] for i in shelf] == [1, 0, 0, 0]
    assert await reconcile() == []


async def test_store_managers_only_stock_valid_items(client, players, store):
    ada = await players.new()
    body = {"name": "Bag", "kind": "goods", "currency": "energy", "price": 1, "stock": 1}
    assert (
        await client.post("/api/v1/store/items", json=body, headers=ada.headers)
    ).status_code == 403
    admin = await store.admin()
    for bad in (
        {**body, "price": 0},
        {**body, "kind": "car"},
        {**body, "stock": -1},
        {**body, "kind": "voucher"},
        {**body, "voucher_value_fen": 100},
        {**body, "extra": 1},
    ):
        refused = await client.post("/api/v1/store/items", json=bad, headers=admin.headers)
        assert refused.status_code in (400, 422), (bad, refused.text)
    assert await StoreItem.all().count() == 0


async def test_300_players_racing_for_the_last_100_items_get_exactly_100(client, players, store):
    import asyncio

    item = await store.item(price=50, stock=100, per_player_limit=1)
    crowd = await players.many(300)
    for player in crowd:
        await players.grant(player, 50)
    answers = await asyncio.gather(*(store.redeem(p, item["id"]) for p in crowd))
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) == 100 and statuses.count(409) == 200, set(statuses)
    assert {a.json()["type"] for a in answers if a.status_code == 409} == {
        "/problems/store-item-out-of-stock"
    }
    assert (await StoreItem.get(id=item["id"])).stock == 0
    assert await Redemption.all().count() == 100
    assert await LedgerEntry.filter(kind="store_purchase").count() == 100
    assert await reconcile() == []


async def test_only_players_accounts_become_merchants(client, players, store):
    didi, _ = await store.merchant("Didi")
    admin = await store.admin()
    moderator = await players.staff("moderator", "mod_till")
    members = f"/api/v1/admin/merchants/{didi}/members"
    for user_id, status, problem in (
        (moderator.id, 409, "staff-cannot-be-merchant"),
        (admin.id, 409, "staff-cannot-be-merchant"),
        (999_999, 404, "user-not-found"),
    ):
        refused = await client.post(members, json={"user_id": user_id}, headers=admin.headers)
        assert (refused.status_code, refused.json()["type"]) == (status, f"/problems/{problem}")
    # The moderator is still a moderator: the queue answers them.
    queue = await client.get("/api/v1/moderation/queue", headers=moderator.headers)
    assert queue.status_code == 200, queue.text
    player = await players.new("till_two")
    joined = await client.post(members, json={"user_id": player.id}, headers=admin.headers)
    assert joined.status_code == 200, joined.text
