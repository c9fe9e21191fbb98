"""The store, power saving and pick-ups in a player's export and erasure."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import orjson

from app.domains import reconcile
from app.privacy.erasure import erase_due_accounts
from game.recycling.models import Pickup
from game.store.models import MerchantMember, Redemption


async def test_export_holds_the_new_sections_and_erasure_keeps_value_balanced(
    app, client, players, store, clock
):
    ada = await players.new("ada", region="CN-36")
    await players.grant(ada, 500)
    item = await store.item(price=100)
    assert (await store.redeem(ada, item["id"])).status_code == 201
    admin = await store.admin()
    starts = clock.now() + timedelta(days=1)
    slot = await client.post(
        "/api/v1/admin/pickup-slots",
        json={"area": "WH", "starts_at": starts.isoformat(),
              "ends_at": (starts + timedelta(hours=1)).isoformat(), "capacity": 3},
        headers=admin.headers,
    )  # fmt: skip
    booked = await client.post(
        "/api/v1/pickups",
        json={"slot_id": slot.json()["id"], "address": "2 River Road", "kinds": ["glass"],
              "estimated_kg": "3"},
        headers=ada.headers,
    )  # fmt: skip
    assert booked.status_code == 201, booked.text
    _, cashier = await store.merchant("Didi")
    exported = await client.get("/api/v1/me/export", headers=ada.headers)
    sections = orjson.loads(zipfile.ZipFile(io.BytesIO(exported.content)).read("export.json"))
    parts = sections["sections"]
    assert {"store", "power_events", "bills", "pickups"} <= set(parts)
    assert [r["price"] for r in parts["store"]["redemptions"]] == [100]
    assert [p["address"] for p in parts["pickups"]] == ["2 River Road"]

    for player in (ada, cashier):
        assert (await client.delete("/api/v1/me", headers=player.headers)).status_code == 202
    clock.advance(days=30)
    assert await erase_due_accounts(clock, app.state.media, app.state.settings) == 2
    assert (await Pickup.get(user_id=ada.id)).address == ""
    assert await Redemption.filter(user_id=ada.id).count() == 1
    assert await MerchantMember.all().count() == 0
    assert await reconcile() == []
