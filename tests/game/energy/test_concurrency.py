"""Many simultaneous requests that move energy: totals must balance exactly."""

from __future__ import annotations

import asyncio
from collections import Counter

from app.domains import reconcile


async def test_fifty_simultaneous_collects_succeed_once(client, players):
    ada = await players.new()
    bubble = await players.ripe_bubble(ada)
    url = f"/api/v1/bubbles/{bubble['id']}/collect"
    responses = await asyncio.gather(*(client.post(url, headers=ada.headers) for _ in range(50)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 49}
    forest = await players.forest(ada)
    assert forest["balance"] == 25
    ledger = (await client.get("/api/v1/me/energy/ledger", headers=ada.headers)).json()
    assert len(ledger["items"]) == 1
    assert await reconcile() == []


async def test_simultaneous_reports_never_exceed_the_daily_cap(client, players):
    bo = await players.new()
    body = {"scenario": "no_plastic_bag", "quantity": "1"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/actions", json=body, headers=bo.headers) for _ in range(20))
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 3, 409: 17}
    carbon = (await client.get("/api/v1/me/carbon", headers=bo.headers)).json()
    assert carbon["totals"]["today"] == 45
    forest = await players.forest(bo)
    assert sum(b["amount"] for b in forest["bubbles"]) == 45
    assert await reconcile() == []


async def test_simultaneous_retries_with_one_idempotency_key_act_once(client, players):
    chen = await players.new()
    headers = {**chen.headers, "Idempotency-Key": "same-request"}
    body = {"scenario": "reusable_cup", "quantity": "1"}
    responses = await asyncio.gather(
        *(client.post("/api/v1/actions", json=body, headers=headers) for _ in range(10))
    )
    statuses = Counter(r.status_code for r in responses)
    # One acts; the rest replay its answer or are told it is still in progress.
    assert statuses[201] >= 1 and set(statuses) <= {201, 409}
    action_ids = {r.json()["action"]["id"] for r in responses if r.status_code == 201}
    assert len(action_ids) == 1
    carbon = (await client.get("/api/v1/me/carbon", headers=chen.headers)).json()
    assert carbon["totals"]["all"] == 25
