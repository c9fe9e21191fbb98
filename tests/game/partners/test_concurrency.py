"""Partner batches under concurrency: exactly one credit per item, budgets never overspent."""

from __future__ import annotations

import asyncio

from app.domains import reconcile
from game.carbon.models import Action
from game.partners.ingest.models import BudgetDay


async def test_the_same_batch_posted_20_times_at_once_credits_each_item_once(
    client, players, partners, clock
):
    crowd = await players.many(5, "rider")
    metro = await partners.register("Metro")
    for rider in crowd:
        await partners.link(rider, metro, f"card-{rider.username}")
    items = [
        partners.item(f"card-{rider.username}", quantity="3", external_id=f"{rider.username}-{n}")
        for rider in crowd
        for n in range(4)
    ]
    now = int(clock.now().timestamp())
    # Twenty signed copies (each its own timestamp, so none is a replay of another).
    sent = await asyncio.gather(
        *(partners.actions(metro, items, timestamp=now - n) for n in range(20))
    )
    assert all(r.status_code == 200 for r in sent), [r.text for r in sent if r.status_code != 200]
    credited = [o for r in sent for o in r.json()["items"] if o["status"] == "credited"]
    assert len(credited) == len(items)
    assert {o["external_id"] for o in credited} == {i["external_id"] for i in items}
    assert all(
        o["status"] == "duplicate" for r in sent for o in r.json()["items"] if o not in credited
    )
    assert await Action.all().count() == len(items)
    for rider in crowd:
        carbon = (await client.get("/api/v1/me/carbon", headers=rider.headers)).json()
        assert carbon["totals"]["all"] == 4 * 128
    assert await reconcile() == []


async def test_the_same_signed_request_20_times_at_once_is_served_once(client, players, partners):
    ada = await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    path = "/api/v1/partner/actions"
    body = b'{"items": []}'
    headers = partners.headers(metro, path, body)
    sent = await asyncio.gather(
        *(client.post(path, content=body, headers=headers) for _ in range(20))
    )
    assert sorted(r.status_code for r in sent) == [200] + [409] * 19
    assert await reconcile() == []


async def test_concurrent_batches_never_pass_the_partners_budget(client, players, partners, clock):
    crowd = await players.many(8, "seller")
    shop = await partners.register(
        "Shop", scenarios=("second_hand_garment",), daily_budget_grams=10_000
    )
    for seller in crowd:
        await partners.link(seller, shop, f"shop-{seller.username}")
    # Each batch sells 3 garments (2,160 g) for one seller: 8 batches want 17,280 g.
    batches = [
        [
            partners.item(f"shop-{s.username}", "second_hand_garment", "1", f"{s.username}-{n}")
            for n in range(3)
        ]
        for s in crowd
    ]
    sent = await asyncio.gather(*(partners.actions(shop, batch) for batch in batches))
    granted = sum(r.json()["grams"] for r in sent)
    refused = [
        o for r in sent for o in r.json()["items"] if o.get("reason") == "partner-budget-exhausted"
    ]
    assert granted == 13 * 720 and len(refused) == 24 - 13
    day = await BudgetDay.get(platform_id=shop.id)
    assert day.used == granted <= day.budget
    assert await reconcile() == []
