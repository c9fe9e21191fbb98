"""HTTP endpoints of recycling pick-ups: slots (staff), booking and cancelling (players), and
the recycling partner's confirmation and weighing (staff accounts of the partner)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.guards import requires_role
from core.params import RowId
from core.users import Role, User
from game.partners.gate.gate import PartnerCaller, SingleOutcome
from game.partners.ingest.api import SIGNED, SignedCall, documented_body
from game.recycling.pickups import (
    Booking,
    Crediting,
    PickupInSlot,
    book_pickup,
    cancel_pickup,
    complete_pickup,
    confirm_pickup,
    my_pickups,
    open_areas,
    open_slot,
    open_slots,
)
from game.recycling.schemas import (
    BookingIn,
    CompleteIn,
    PickupAreaOut,
    PickupOut,
    SlotIn,
    SlotOut,
    pickup_area_out,
    pickup_out,
    slot_out,
)

STAFF = [requires_role(Role.ADMIN)]
SCOPE = "recycling"  # the partner scope of the signed pick-up calls
AreaQuery = Annotated[str, Parameter(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="The area")]


class RecyclingController(Controller):
    """Booked recycling pick-ups, weighed and credited as energy."""

    tags = ["recycling pick-ups"]

    @post(
        "/api/v1/admin/pickup-slots", guards=STAFF, status_code=HTTP_201_CREATED,
        summary="Open a pick-up slot",
    )  # fmt: skip
    async def open_slot(self, data: JSONBody[SlotIn], clock: NamedDependency[Clock]) -> SlotOut:
        """A time slot in an area with a number of places."""
        made = await open_slot(clock, data.area, data.starts_at, data.ends_at, data.capacity)
        return slot_out(made)

    @get("/api/v1/pickup-areas", summary="Areas with pick-up slots")
    async def areas(self, clock: NamedDependency[Clock]) -> list[PickupAreaOut]:
        """The areas that have slots not yet started, by name, with the places left."""
        return [pickup_area_out(a) for a in await open_areas(clock)]

    @get("/api/v1/pickup-slots", summary="Pick-up slots of an area")
    async def slots(self, clock: NamedDependency[Clock], area: AreaQuery) -> list[SlotOut]:
        """The area's slots that have not started, with the places left."""
        return [slot_out(s) for s in await open_slots(clock, area)]

    @post(
        "/api/v1/pickups", status_code=HTTP_201_CREATED, summary="Book a pick-up",
        opt={"idempotent": True},
    )  # fmt: skip
    async def book(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[BookingIn],
        clock: NamedDependency[Clock],
    ) -> PickupOut:
        """A place in a slot that has room and has not started."""
        given = Booking(data.slot_id, data.address, list(data.kinds), Decimal(data.estimated_kg))
        return pickup_out(await book_pickup(clock, request.user.id, given))

    @get("/api/v1/me/pickups", summary="My pick-ups")
    async def mine(self, request: Request[User, Any, Any]) -> list[PickupOut]:
        """My pick-ups, newest first."""
        return [pickup_out(p) for p in await my_pickups(request.user.id)]

    @post(
        "/api/v1/pickups/{pickup_id:int}/cancel", status_code=HTTP_200_OK,
        summary="Cancel my pick-up",
    )  # fmt: skip
    async def cancel(
        self, request: Request[User, Any, Any], pickup_id: RowId, clock: NamedDependency[Clock]
    ) -> PickupOut:
        """Cancel before the slot starts; the place is freed."""
        return pickup_out(await cancel_pickup(clock, request.user.id, pickup_id))

    @post(
        "/api/v1/admin/pickups/{pickup_id:int}/confirm", guards=STAFF, status_code=HTTP_200_OK,
        summary="Confirm a pick-up",
    )  # fmt: skip
    async def confirm(
        self, pickup_id: RowId, clock: NamedDependency[Clock], events: NamedDependency[EventSink]
    ) -> PickupOut:
        """The recycling partner will come (again: nothing more happens)."""
        return pickup_out(await confirm_pickup(clock, events, pickup_id))

    @post(
        "/api/v1/admin/pickups/{pickup_id:int}/complete", guards=STAFF, status_code=HTTP_200_OK,
        summary="Complete a pick-up with its weight",
    )  # fmt: skip
    async def complete(
        self,
        pickup_id: RowId,
        data: JSONBody[CompleteIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        pickup_crediting: NamedDependency[Crediting],
    ) -> PickupOut:
        """The weighed kg earn `recycling_pickup` energy, once."""
        done = await complete_pickup(
            clock, events, pickup_crediting, pickup_id, Decimal(data.weighed_kg)
        )
        return pickup_out(done)

    @post(
        "/api/v1/partner/pickups/{pickup_id:int}/confirm", status_code=HTTP_200_OK,
        security=SIGNED, summary="Confirm a pick-up (recycling partner, signed)",
    )  # fmt: skip
    async def partner_confirm(
        self,
        pickup_id: RowId,
        signed_call: NamedDependency[SignedCall],
        events: NamedDependency[EventSink],
    ) -> PickupOut:
        """The recycling partner (scope `recycling`) confirms a booked pick-up."""
        done: list[PickupInSlot] = []

        async def work(caller: PartnerCaller) -> SingleOutcome:
            done.append(await confirm_pickup(signed_call.gate.clock, events, pickup_id))
            return SingleOutcome("confirmed")

        await signed_call.run(work, scope=SCOPE)
        return pickup_out(done[0])

    @post(
        "/api/v1/partner/pickups/{pickup_id:int}/complete", status_code=HTTP_200_OK,
        security=SIGNED, operation_class=documented_body(CompleteIn),
        summary="Complete a pick-up with its weight (recycling partner, signed)",
    )  # fmt: skip
    async def partner_complete(
        self,
        pickup_id: RowId,
        signed_call: NamedDependency[SignedCall],
        events: NamedDependency[EventSink],
        pickup_crediting: NamedDependency[Crediting],
    ) -> PickupOut:
        """The recycling partner (scope `recycling`) weighs a pick-up: energy, once."""
        done: list[PickupInSlot] = []

        async def work(caller: PartnerCaller) -> SingleOutcome:
            given = signed_call.decode(CompleteIn, 'the body must be {"weighed_kg": "7.5"}')
            completed = await complete_pickup(
                signed_call.gate.clock, events, pickup_crediting, pickup_id,
                Decimal(given.weighed_kg),
            )  # fmt: skip
            done.append(completed)
            return SingleOutcome("completed", completed.pickup.grams)

        await signed_call.run(work, scope=SCOPE)
        return pickup_out(done[0])
