"""Request and response shapes of recycling pick-ups."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import Place
from game.recycling.models import PickupSlot
from game.recycling.pickups import OpenArea, PickupInSlot

Area = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{1,32}$", examples=["HZ-XIHU"])]
Kg = Annotated[str, msgspec.Meta(pattern=r"^\d{1,5}(\.\d{1,3})?$", examples=["6.5"])]
Kind = Annotated[
    str, msgspec.Meta(pattern=r"^(paper|plastic|metal|glass|textiles|electronics|other)$")
]


class SlotIn(msgspec.Struct, forbid_unknown_fields=True):
    """A slot in an area and how many pick-ups it takes."""

    area: Area
    starts_at: datetime
    ends_at: datetime
    capacity: Annotated[int, msgspec.Meta(ge=1, le=10_000)]


class SlotOut(msgspec.Struct):
    """A slot and the places left."""

    id: int
    area: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int
    places_left: int


def slot_out(s: PickupSlot) -> SlotOut:
    """Show a slot."""
    return SlotOut(
        s.id, s.area, s.starts_at, s.ends_at, s.capacity, s.booked, s.capacity - s.booked
    )


class PickupAreaOut(msgspec.Struct):
    """An area with slots that have not started, and the places left in them."""

    area: str
    slots: int
    places_left: int


def pickup_area_out(a: OpenArea) -> PickupAreaOut:
    """Show an area."""
    return PickupAreaOut(a.area, a.slots, a.places_left)


class BookingIn(msgspec.Struct, forbid_unknown_fields=True):
    """A pick-up to book: where, in which slot, what and about how much."""

    slot_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    address: Place
    kinds: Annotated[list[Kind], msgspec.Meta(min_length=1, max_length=7)]
    estimated_kg: Kg


class CompleteIn(msgspec.Struct, forbid_unknown_fields=True):
    """The weight of what was picked up."""

    weighed_kg: Kg


class PickupOut(msgspec.Struct):
    """A pick-up and its state, with its slot's area and times; `grams` of energy once
    completed."""

    id: int
    slot_id: int
    area: str
    slot_starts_at: datetime
    slot_ends_at: datetime
    address: str
    kinds: list[str]
    estimated_kg: str
    status: str
    weighed_kg: str | None
    grams: int
    booked_at: datetime
    confirmed_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None


def pickup_out(found: PickupInSlot) -> PickupOut:
    """Show a pick-up with its slot."""
    p, slot = found.pickup, found.slot
    return PickupOut(
        id=p.id, slot_id=p.slot_id, area=slot.area, slot_starts_at=slot.starts_at,
        slot_ends_at=slot.ends_at, address=p.address, kinds=list(p.kinds),
        estimated_kg=f"{p.estimated_kg:.3f}", status=p.status,
        weighed_kg=None if p.weighed_kg is None else f"{p.weighed_kg:.3f}", grams=p.grams,
        booked_at=p.booked_at, confirmed_at=p.confirmed_at, completed_at=p.completed_at,
        cancelled_at=p.cancelled_at,
    )  # fmt: skip
