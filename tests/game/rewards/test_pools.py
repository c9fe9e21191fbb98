"""Budget pools: opened and funded by managers, never overspent, every grant paid once."""

from __future__ import annotations

import asyncio
from collections import Counter

from app.domains import reconcile
from game.rewards.models import BudgetPool, Grant, PoolEntry, Voucher

CUPS = {"kind": "count", "target": 1, "scenarios": ["reusable_cup"]}


async def test_five_hundred_simultaneous_completions_against_room_for_fifty(
    client, players, campaigns
):
    pool = await campaigns.pool(total=50 * 500, unit_cost=500)
    day = await campaigns.launch(
        CUPS, rewards=[{"kind": "voucher", "pool_id": pool["id"], "valid_days": 30}]
    )
    crowd = await players.many(500)
    responses = await asyncio.gather(*(players.report(p) for p in crowd))
    assert Counter(r.status_code for r in responses) == {201: 500}
    outcomes = Counter(await Grant.filter(campaign_id=day["id"]).values_list("outcome", flat=True))
    assert outcomes == {"granted": 50, "pool-exhausted": 450}
    stored = await BudgetPool.get(id=pool["id"])
    assert (stored.spent, stored.remaining, stored.total) == (25_000, 0, 25_000)
    assert await Voucher.filter(pool_id=pool["id"]).count() == 50
    assert await PoolEntry.filter(pool_id=pool["id"], kind="grant").count() == 50
    # Each player sees their own outcome: a voucher, or a clear "pool exhausted".
    shown = await campaigns.progress(crowd[0], day["id"])
    assert shown["completed_at"] is not None
    assert shown["rewards"][0]["outcome"] in ("granted", "pool-exhausted")
    assert await reconcile() == []


async def test_managers_open_fund_and_close_pools(client, players, campaigns):
    ada = await players.new()
    refused = await client.post(
        "/api/v1/reward-pools",
        json={"name": "Mine", "unit": "fen", "unit_cost": 1, "total": 100},
        headers=ada.headers,
    )
    assert refused.status_code == 403
    pool = await campaigns.pool(total=1_000, unit_cost=500)
    assert (pool["grants_left"], pool["spent"]) == (2, 0)
    manager = await campaigns.manager()
    url = f"/api/v1/reward-pools/{pool['id']}"
    key = {"Idempotency-Key": "top-up-1", **manager.headers}
    funded = await client.post(f"{url}/fund", json={"amount": 500}, headers=key)
    replayed = await client.post(f"{url}/fund", json={"amount": 500}, headers=key)
    assert funded.status_code == replayed.status_code == 200, funded.text
    assert replayed.headers.get("idempotent-replayed") == "true"
    assert (await campaigns.get(manager, f"/reward-pools/{pool['id']}"))["total"] == 1_500
    for body in ({"amount": 0}, {"amount": -5}, {"amount": "many"}):
        bad = await client.post(f"{url}/fund", json=body, headers=manager.headers)
        assert bad.status_code == 400
    day = await campaigns.launch(
        CUPS, rewards=[{"kind": "voucher", "pool_id": pool["id"], "valid_days": 7}]
    )
    closed = await client.patch(url, json={"status": "closed"}, headers=manager.headers)
    assert closed.json()["status"] == "closed"
    closed_fund = await client.post(f"{url}/fund", json={"amount": 5}, headers=manager.headers)
    assert (closed_fund.status_code, closed_fund.json()["type"]) == (
        409, "/problems/reward-pool-closed",
    )  # fmt: skip
    await players.report(ada)
    shown = await campaigns.progress(ada, day["id"])
    assert [r["outcome"] for r in shown["rewards"]] == ["pool-closed"]
    assert (await BudgetPool.get(id=pool["id"])).spent == 0
    missing = await client.post(
        "/api/v1/reward-pools/999/fund", json={"amount": 5}, headers=manager.headers
    )
    assert (missing.status_code, missing.json()["type"]) == (404, "/problems/reward-pool-not-found")
    listed = await campaigns.get(manager, "/reward-pools")
    assert [p["id"] for p in listed] == [pool["id"]]
    assert await reconcile() == []
