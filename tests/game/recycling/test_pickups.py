"""Recycling pick-ups: booked in slots that never overbook, cancelled before the slot, weighed
by the partner and credited once as `recycling_pickup` energy (docs/store.md)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app.domains import reconcile
from game.carbon.models import Action
from game.recycling.models import Pickup, PickupSlot


async def slot(client, admin, clock, capacity: int = 2, hours: int = 24) -> dict:
    """A slot in Hangzhou's Xihu area starting `hours` from now."""
    starts = clock.now() + timedelta(hours=hours)
    body = {"area": "HZ-XIHU", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "capacity": capacity}  # fmt: skip
    made = await client.post("/api/v1/admin/pickup-slots", json=body, headers=admin.headers)
    assert made.status_code == 201, made.text
    return dict(made.json())


def booking(slot_id: int, kg: str = "6") -> dict:
    """A booking of paper and plastic."""
    return {"slot_id": slot_id, "address": "1 Lakeside Road", "kinds": ["paper", "plastic"],
            "estimated_kg": kg}  # fmt: skip


async def test_a_weighed_pickup_credits_700_g_a_kg_once(client, players, clock):
    admin = await players.staff("admin")
    ada = await players.new("ada")
    made = await slot(client, admin, clock)
    booked = await client.post("/api/v1/pickups", json=booking(made["id"]), headers=ada.headers)
    assert booked.status_code == 201, booked.text
    pickup_id = booked.json()["id"]
    slots = (await client.get("/api/v1/pickup-slots?area=HZ-XIHU", headers=ada.headers)).json()
    assert slots[0]["places_left"] == 1
    path = f"/api/v1/admin/pickups/{pickup_id}"
    assert (await client.post(f"{path}/confirm", headers=ada.headers)).status_code == 403
    assert (await client.post(f"{path}/confirm", headers=admin.headers)).json()[
        "status"
    ] == "confirmed"
    done = await client.post(f"{path}/complete", json={"weighed_kg": "7.5"}, headers=admin.headers)
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["grams"]) == ("completed", 5_250)
    again = await client.post(f"{path}/complete", json={"weighed_kg": "9"}, headers=admin.headers)
    assert again.json()["grams"] == 5_250
    assert await Action.filter(scenario="recycling_pickup").count() == 1
    late = await client.post(f"/api/v1/pickups/{pickup_id}/cancel", headers=ada.headers)
    assert late.status_code == 409 and late.json()["type"] == "/problems/pickup-wrong-state"
    inbox = (await client.get("/api/v1/me/notifications", headers=ada.headers)).json()["items"]
    assert {"pickup_confirmed", "pickup_completed"} <= {n["kind"] for n in inbox}
    assert await reconcile() == []


async def test_cancelling_before_the_slot_frees_the_place(client, players, clock):
    admin = await players.staff("admin")
    ada, bob = await players.new("ada"), await players.new("bob")
    made = await slot(client, admin, clock, capacity=1, hours=2)
    first = await client.post("/api/v1/pickups", json=booking(made["id"]), headers=ada.headers)
    full = await client.post("/api/v1/pickups", json=booking(made["id"]), headers=bob.headers)
    assert full.status_code == 409 and full.json()["type"] == "/problems/pickup-slot-full"
    other = await client.post(f"/api/v1/pickups/{first.json()['id']}/cancel", headers=bob.headers)
    assert other.status_code == 404
    cancelled = await client.post(
        f"/api/v1/pickups/{first.json()['id']}/cancel", headers=ada.headers
    )
    assert cancelled.json()["status"] == "cancelled"
    second = await client.post("/api/v1/pickups", json=booking(made["id"]), headers=bob.headers)
    assert second.status_code == 201
    clock.advance(hours=2)
    bob = await players.refresh(bob)
    started = await client.post(
        f"/api/v1/pickups/{second.json()['id']}/cancel", headers=bob.headers
    )
    assert started.status_code == 409 and started.json()["type"] == "/problems/pickup-slot-started"
    assert (await PickupSlot.get(id=made["id"])).booked == 1
    assert await reconcile() == []


async def test_bad_bookings_change_nothing(client, players, clock):
    admin = await players.staff("admin")
    ada = await players.new("ada")
    made = await slot(client, admin, clock)
    for bad in (
        {**booking(made["id"]), "kinds": ["uranium"]},
        {**booking(made["id"]), "kinds": []},
        {**booking(made["id"]), "estimated_kg": "-1"},
        {**booking(made["id"]), "address": ""},
        {**booking(made["id"]), "slot_id": 0},
    ):
        assert (
            await client.post("/api/v1/pickups", json=bad, headers=ada.headers)
        ).status_code == 400
    missing = await client.post("/api/v1/pickups", json=booking(99_999), headers=ada.headers)
    assert missing.status_code == 404
    zero = await client.post("/api/v1/pickups", json=booking(made["id"], "0"), headers=ada.headers)
    assert zero.status_code == 422
    past = {"area": "HZ-XIHU", "starts_at": clock.now().isoformat(),
            "ends_at": (clock.now() + timedelta(hours=1)).isoformat(), "capacity": 1}  # fmt: skip
    assert (
        await client.post("/api/v1/admin/pickup-slots", json=past, headers=admin.headers)
    ).status_code == 422
    assert await Pickup.all().count() == 0
    assert (await PickupSlot.get(id=made["id"])).booked == 0


async def test_a_slot_never_overbooks_under_a_crowd(client, players, clock):
    admin = await players.staff("admin")
    made = await slot(client, admin, clock, capacity=10)
    crowd = await players.many(40, "recycler")
    answers = await asyncio.gather(
        *(
            client.post("/api/v1/pickups", json=booking(made["id"]), headers=p.headers)
            for p in crowd
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) == 10 and statuses.count(409) == 30, set(statuses)
    assert (await PickupSlot.get(id=made["id"])).booked == 10
    assert await Pickup.all().count() == 10
    assert await reconcile() == []


async def test_the_recycling_partner_confirms_and_weighs_through_the_signed_api(
    client, players, partners, clock
):
    admin = await players.staff("admin")
    ada = await players.new("ada")
    made = await slot(client, admin, clock)
    booked = await client.post("/api/v1/pickups", json=booking(made["id"]), headers=ada.headers)
    pickup_id = booked.json()["id"]
    idle_fish = await partners.register("Idle Fish", scenarios=(), scopes=["recycling"])
    grid = await partners.register("Grid", scenarios=(), meter_readings=True)
    path = f"/api/v1/partner/pickups/{pickup_id}"
    refused = await partners.post(grid, f"{path}/confirm", b"")
    assert (
        refused.status_code == 403 and refused.json()["type"] == "/problems/partner-scope-missing"
    )
    confirmed = await partners.post(idle_fish, f"{path}/confirm", b"")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    bad = await partners.post(idle_fish, f"{path}/complete", {"weighed_kg": "lots"})
    assert bad.status_code == 400
    assert (await Pickup.get(id=pickup_id)).status == "confirmed"
    clock.advance(seconds=1)
    done = await partners.post(idle_fish, f"{path}/complete", {"weighed_kg": "2"})
    assert done.status_code == 200, done.text
    assert done.json()["grams"] == 1_400
    assert await Action.filter(source="recycling_pickup").count() == 1
    assert await reconcile() == []


async def test_a_player_finds_the_areas_with_open_slots_and_sees_when_each_pickup_comes(
    client, players, clock
):
    admin = await players.staff("admin")
    ada = await players.new("ada")
    soon = await slot(client, admin, clock, capacity=3, hours=2)
    later = await slot(client, admin, clock, capacity=2, hours=30)
    starts = clock.now() + timedelta(hours=5)
    elsewhere = {"area": "WH-HONGSHAN", "starts_at": starts.isoformat(),
                 "ends_at": (starts + timedelta(hours=1)).isoformat(), "capacity": 4}  # fmt: skip
    opened = await client.post("/api/v1/admin/pickup-slots", json=elsewhere, headers=admin.headers)
    assert opened.status_code == 201, opened.text
    booked = await client.post("/api/v1/pickups", json=booking(later["id"]), headers=ada.headers)
    assert booked.status_code == 201, booked.text
    shown = booked.json()
    assert (shown["area"], shown["slot_starts_at"], shown["slot_ends_at"]) == (
        "HZ-XIHU", later["starts_at"], later["ends_at"],
    )  # fmt: skip
    areas = (await client.get("/api/v1/pickup-areas", headers=ada.headers)).json()
    assert areas == [
        {"area": "HZ-XIHU", "slots": 2, "places_left": 4},
        {"area": "WH-HONGSHAN", "slots": 1, "places_left": 4},
    ]
    mine = (await client.get("/api/v1/me/pickups", headers=ada.headers)).json()
    assert [(p["id"], p["area"], p["slot_starts_at"]) for p in mine] == [
        (shown["id"], "HZ-XIHU", later["starts_at"])
    ]
    cancelled = await client.post(f"/api/v1/pickups/{shown['id']}/cancel", headers=ada.headers)
    assert (cancelled.json()["status"], cancelled.json()["area"]) == ("cancelled", "HZ-XIHU")

    # Once a slot has started its area counts it no more; an area with none left is not listed.
    clock.advance(hours=6)
    ada = await players.refresh(ada)
    areas = (await client.get("/api/v1/pickup-areas", headers=ada.headers)).json()
    assert areas == [{"area": "HZ-XIHU", "slots": 1, "places_left": 2}]
    assert soon["id"] not in [s["id"] for s in (await client.get(
        "/api/v1/pickup-slots?area=HZ-XIHU", headers=ada.headers)).json()]  # fmt: skip
    anonymous = await client.get("/api/v1/pickup-areas")
    assert anonymous.status_code == 401
    assert await reconcile() == []
