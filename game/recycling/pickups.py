"""Recycling pick-ups: slots with room per area, booking, cancelling, and the partner's
confirmation and weighing that credits `recycling_pickup` once (docs/store.md#recycling-pick-ups).

A slot's room is guarded in its UPDATE (`booked < capacity`), so however many players race for
its last place, it never overbooks; a cancellation gives the place back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.functions import Count, Sum

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid, NotFound
from core.events import EventSink
from game.carbon.actions import ActionInput, DailyCapReached, checked_quantity, record_action
from game.carbon.catalog import Catalog
from game.energy.bubbles import BubbleTiming
from game.recycling.models import Pickup, PickupSlot

SCENARIO = "recycling_pickup"
KINDS = ("paper", "plastic", "metal", "glass", "textiles", "electronics", "other")


class SlotNotFound(NotFound):
    """No such pick-up slot."""

    code = "pickup-slot-not-found"
    title = "Pick-up slot not found"


class SlotFull(Conflict):
    """Every place of the slot is booked."""

    code = "pickup-slot-full"
    title = "This pick-up slot is full"


class SlotStarted(Conflict):
    """The slot has begun: it can no longer be booked or cancelled."""

    code = "pickup-slot-started"
    title = "This pick-up slot has already started"


class InvalidSlot(Invalid):
    """A slot ends after it starts, in the future."""

    code = "invalid-pickup-slot"
    title = "Invalid pick-up slot"


class PickupNotFound(NotFound):
    """No such pick-up (or not one of mine)."""

    code = "pickup-not-found"
    title = "Pick-up not found"


class PickupWrongState(Conflict):
    """The pick-up is not in a state that allows this."""

    code = "pickup-wrong-state"
    title = "The pick-up cannot do this in its current state"


async def open_slot(
    clock: Clock, area: str, starts_at: datetime, ends_at: datetime, capacity: int
) -> PickupSlot:
    """A slot in an area with room for `capacity` pick-ups."""
    if ends_at <= starts_at or starts_at <= clock.now():
        raise InvalidSlot("a slot starts in the future and ends after it starts")
    return await PickupSlot.create(
        area=area, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
        created_at=clock.now(),
    )  # fmt: skip


@dataclass(frozen=True)
class OpenArea:
    """An area with slots that have not started: how many, and the places left in them."""

    area: str
    slots: int
    places_left: int


async def open_areas(clock: Clock) -> list[OpenArea]:
    """The areas with slots that have not started, by name, so a player can pick theirs."""
    rows = (
        await PickupSlot.filter(starts_at__gt=clock.now())
        .annotate(slots=Count("id"), capacity=Sum("capacity"), booked=Sum("booked"))
        .group_by("area")
        .order_by("area")
        .limit(200)
        .values("area", "slots", "capacity", "booked")
    )
    return [
        OpenArea(str(r["area"]), int(r["slots"]), int(r["capacity"]) - int(r["booked"]))
        for r in rows
    ]


async def open_slots(clock: Clock, area: str) -> list[PickupSlot]:
    """The area's slots that have not started, soonest first (full ones too, shown as full)."""
    return list(
        await PickupSlot.filter(area=area, starts_at__gt=clock.now())
        .order_by("starts_at")
        .limit(200)
    )


@dataclass(frozen=True)
class PickupInSlot:
    """A pick-up with its slot, so whoever shows it can say where and when."""

    pickup: Pickup
    slot: PickupSlot


@dataclass(frozen=True)
class Booking:
    """What a player books."""

    slot_id: int
    address: str
    kinds: list[str]
    estimated_kg: Decimal


async def book_pickup(clock: Clock, user_id: int, given: Booking) -> PickupInSlot:
    """Take a place in a slot that has not started and has room."""
    checked_quantity(given.estimated_kg)
    now = clock.now()
    async with in_transaction() as conn:
        slot = await PickupSlot.filter(id=given.slot_id).using_db(conn).first()
        if slot is None:
            raise SlotNotFound(f"no pick-up slot {given.slot_id}")
        if slot.starts_at <= now:
            raise SlotStarted()
        taken = (
            await PickupSlot.filter(id=slot.id, booked__lt=F("capacity"))
            .using_db(conn)
            .update(booked=F("booked") + 1)
        )
        if not taken:
            raise SlotFull(f"all {slot.capacity} places are booked", capacity=slot.capacity)
        made = await Pickup.create(
            using_db=conn, user_id=user_id, slot_id=slot.id, address=given.address,
            kinds=sorted(set(given.kinds)), estimated_kg=given.estimated_kg, booked_at=now,
        )  # fmt: skip
    return PickupInSlot(made, slot)


async def _locked(
    conn: BaseDBAsyncClient, pickup_id: int, user_id: int | None = None
) -> PickupInSlot:
    query = Pickup.filter(id=pickup_id)
    if user_id is not None:
        query = query.filter(user_id=user_id)
    pickup = await query.using_db(conn).select_for_update().first()
    if pickup is None:
        raise PickupNotFound(f"no pick-up {pickup_id}")
    # Only the pick-up is locked; the slot's count changes through guarded UPDATEs.
    slot = await PickupSlot.filter(id=pickup.slot_id).using_db(conn).get()
    return PickupInSlot(pickup, slot)


async def cancel_pickup(clock: Clock, user_id: int, pickup_id: int) -> PickupInSlot:
    """Cancel my booking before its slot starts; the place is given back."""
    async with in_transaction() as conn:
        found = await _locked(conn, pickup_id, user_id)
        pickup, slot = found.pickup, found.slot
        if pickup.status not in ("booked", "confirmed"):
            raise PickupWrongState(f"a {pickup.status} pick-up cannot be cancelled")
        if slot.starts_at <= clock.now():
            raise SlotStarted("a pick-up can be cancelled only before its slot starts")
        await PickupSlot.filter(id=slot.id).using_db(conn).update(booked=F("booked") - 1)
        pickup.status, pickup.cancelled_at = "cancelled", clock.now()
        await pickup.save(using_db=conn, update_fields=["status", "cancelled_at"])
    return found


async def confirm_pickup(clock: Clock, events: EventSink, pickup_id: int) -> PickupInSlot:
    """The recycling partner confirms a booked pick-up (again: nothing more happens)."""
    async with in_transaction() as conn:
        found = await _locked(conn, pickup_id)
        pickup = found.pickup
        if pickup.status == "confirmed":
            return found
        if pickup.status != "booked":
            raise PickupWrongState(f"a {pickup.status} pick-up cannot be confirmed")
        pickup.status, pickup.confirmed_at = "confirmed", clock.now()
        await pickup.save(using_db=conn, update_fields=["status", "confirmed_at"])
        await events.publish(
            conn,
            pickup.user_id,
            "pickup.confirmed",
            {"pickup_id": pickup.id, "slot_id": pickup.slot_id},
        )
    return found


@dataclass(frozen=True)
class Crediting:
    """What completing needs to credit energy: bubble timing, the catalog, the time zone."""

    timing: BubbleTiming
    catalog: Catalog
    tz: ZoneInfo


async def complete_pickup(
    clock: Clock, events: EventSink, crediting: Crediting, pickup_id: int, weighed_kg: Decimal
) -> PickupInSlot:
    """The partner weighed the recyclables: `recycling_pickup` energy for the kg, once."""
    checked_quantity(weighed_kg)
    async with in_transaction() as conn:
        found = await _locked(conn, pickup_id)
        pickup = found.pickup
        if pickup.status == "completed":
            return found
        if pickup.status not in ("booked", "confirmed"):
            raise PickupWrongState(f"a {pickup.status} pick-up cannot be completed")
        given = ActionInput(
            user_id=pickup.user_id, tz=crediting.tz, scenario=crediting.catalog.get(SCENARIO),
            quantity=weighed_kg, source="recycling_pickup", external_id=str(pickup.id),
        )  # fmt: skip
        try:
            recorded = await record_action(clock, crediting.timing, given)
            pickup.action_id, pickup.grams = recorded.action.id, recorded.action.grams
        except DailyCapReached:
            # The player's daily cap of recycled kg is used up: completed, with no energy.
            pickup.action_id, pickup.grams = None, 0
        pickup.status, pickup.completed_at = "completed", clock.now()
        pickup.weighed_kg = weighed_kg
        await pickup.save(using_db=conn)
        await events.publish(
            conn, pickup.user_id, "pickup.completed",
            {"pickup_id": pickup.id, "weighed_kg": str(weighed_kg), "grams": pickup.grams},
        )  # fmt: skip
    return found


async def my_pickups(user_id: int) -> list[PickupInSlot]:
    """My pick-ups, newest first, each with its slot."""
    pickups = list(await Pickup.filter(user_id=user_id).order_by("-id").limit(100))
    slots = {s.id: s for s in await PickupSlot.filter(id__in={p.slot_id for p in pickups})}
    return [PickupInSlot(p, slots[p.slot_id]) for p in pickups]
