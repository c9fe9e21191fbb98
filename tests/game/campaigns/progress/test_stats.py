"""What a campaign manager watches: figures over time, budget spent and left, participants CSV."""

from __future__ import annotations

import csv
import io

from app.domains import reconcile

RIDES = {"kind": "count", "target": 2, "scenarios": ["carpool_ride"]}


async def test_stats_over_time_and_the_participants_export(client, players, campaigns, clock):
    pool = await campaigns.pool(total=1_000, unit_cost=500)
    week = await campaigns.launch(
        RIDES, hours=24 * 3,
        rewards=[{"kind": "voucher", "pool_id": pool["id"], "valid_days": 14}],
    )  # fmt: skip
    ada = await players.new(display_name="Ada")
    bo = await players.new(display_name='=HYPERLINK("http://x")')
    chen = await players.new(display_name="Chen")
    await campaigns.credit(ada, quantity="10")
    await campaigns.credit(ada, quantity="10")  # ada completes on day 1
    clock.advance(days=1)
    await campaigns.credit(bo, quantity="4")
    await campaigns.credit(bo, quantity="4")  # bo completes on day 2
    await campaigns.credit(chen, quantity="4")
    await campaigns.credit(chen, quantity="4")  # the pool is empty by now: no voucher
    clock.advance(hours=1)
    manager = await campaigns.manager()
    ada = await players.refresh(ada)
    refused = await client.get(f"/api/v1/campaigns/{week['id']}/stats", headers=ada.headers)
    assert refused.status_code == 403
    stats = await campaigns.get(manager, f"/campaigns/{week['id']}/stats")
    assert stats["totals"] == {
        "participants": 3, "joined": 0, "completions": 3, "progress": 6,
        "grams_avoided": 637 * 2 + 255 * 4, "spent": 1_000, "rewards_granted": 2,
        "rewards_not_paid": 1,
    }  # fmt: skip
    assert [(s["new_participants"], s["completions"], s["spent"], s["rewards_not_paid"])
            for s in stats["series"]] == [(1, 1, 500, 0), (2, 2, 500, 1)]  # fmt: skip
    assert [s["active_players"] for s in stats["series"]] == [1, 2]
    assert stats["pools"] == [{
        "pool_id": pool["id"], "name": "Coupons", "unit": "fen", "unit_cost": 500, "total": 1_000,
        "spent": 1_000, "remaining": 0, "spent_by_campaign": 1_000, "status": "open",
    }]  # fmt: skip
    hourly = await campaigns.get(manager, f"/campaigns/{week['id']}/stats", step="hour")
    assert len(hourly["series"]) == 25  # a day and an hour since the start
    assert sum(s["progress"] for s in hourly["series"]) == 6

    exported = await client.get(
        f"/api/v1/campaigns/{week['id']}/participants.csv", headers=manager.headers
    )
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["user_id"], r["progress"], r["target"]) for r in rows] == [
        (str(ada.id), "2", "2"), (str(bo.id), "2", "2"), (str(chen.id), "2", "2"),
    ]  # fmt: skip
    assert rows[1]["display_name"] == '\'=HYPERLINK("http://x")'  # never run as a formula
    assert (rows[0]["rewards_granted"], rows[2]["rewards_not_paid"]) == (
        "voucher", "voucher:pool-exhausted",
    )  # fmt: skip
    assert (await client.get(
        f"/api/v1/campaigns/{week['id']}/participants.csv", headers=ada.headers
    )).status_code == 403  # fmt: skip
    assert await reconcile() == []
