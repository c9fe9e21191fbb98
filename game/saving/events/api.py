"""HTTP endpoints of power-saving events: announcing (campaign managers), the events of my
region, opting in, and an event's stats."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.guards import requires_role
from core.params import IntId
from core.users import Role, User
from game.partners.gate.gate import PartnerCaller, SingleOutcome
from game.partners.ingest.api import SIGNED, SignedCall, documented_body
from game.saving.events.announcing import (
    EventRules,
    NewEvent,
    announce_event,
    event_for,
    events_for,
)
from game.saving.events.joining import opt_in
from game.saving.events.models import PowerEvent
from game.saving.events.schemas import EventIn, EventOut, StatsOut, event_out, stats_out
from game.saving.events.stats import event_stats

MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]
TAGS = ["power saving: events"]


def new_event(data: EventIn) -> NewEvent:
    """The rule's input from the request shape."""
    factor = data.grid_factor_kg_per_kwh
    return NewEvent(
        name=data.name, region=data.region, timezone=data.timezone, day=data.date,
        start=time.fromisoformat(data.start), end=time.fromisoformat(data.end),
        pool_id=data.pool_id, payout=data.payout, rate_fen_per_kwh=data.rate_fen_per_kwh,
        factor_g_per_kwh=None if factor is None else Decimal(factor) * 1000,
        voucher_valid_days=data.voucher_valid_days,
    )  # fmt: skip


class PowerEventsController(Controller):
    """Peak-hour power-saving events."""

    tags = TAGS

    @post(
        "/api/v1/power-events", guards=MANAGERS, status_code=HTTP_201_CREATED,
        summary="Announce a power-saving event",
    )  # fmt: skip
    async def announce(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[EventIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        event_rules: NamedDependency[EventRules],
    ) -> EventOut:
        """A peak window in a region; every player of the region is invited."""
        made = await announce_event(
            clock, events, event_rules, new_event(data), by_user_id=request.user.id
        )
        return event_out(made, None)

    @get("/api/v1/power-events", summary="Power-saving events of my region")
    async def events(self, request: Request[User, Any, Any]) -> list[EventOut]:
        """Events of my region, newest first, with my part in each."""
        return [event_out(e, mine) for e, mine in await events_for(request.user)]

    @get("/api/v1/power-events/{event_id:int}", summary="A power-saving event")
    async def event(self, request: Request[User, Any, Any], event_id: IntId) -> EventOut:
        """The event and my outcome: kWh saved, CO2 avoided and reward."""
        return event_out(*await event_for(request.user, event_id))

    @post(
        "/api/v1/power-events/{event_id:int}/join", status_code=HTTP_201_CREATED,
        summary="Opt in to a power-saving event",
    )  # fmt: skip
    async def join(
        self, request: Request[User, Any, Any], event_id: IntId, clock: NamedDependency[Clock]
    ) -> Response[EventOut]:
        """Opt in before the window opens (201; 200 when I had already)."""
        _, created = await opt_in(clock, request.user, event_id)
        shown = event_out(*await event_for(request.user, event_id))
        return Response(shown, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get(
        "/api/v1/power-events/{event_id:int}/stats", guards=MANAGERS,
        summary="A power-saving event's totals",
    )  # fmt: skip
    async def stats(self, request: Request[User, Any, Any], event_id: IntId) -> StatsOut:
        """Households, kWh saved, CO2, rewards paid and the kW shaved at peak."""
        event, _ = await event_for(request.user, event_id)
        return stats_out(await event_stats(event))

    @post(
        "/api/v1/partner/power-events", status_code=HTTP_201_CREATED, security=SIGNED,
        operation_class=documented_body(EventIn),
        summary="Announce a power-saving event (grid partner, signed)",
    )  # fmt: skip
    async def partner_announce(
        self,
        signed_call: NamedDependency[SignedCall],
        events: NamedDependency[EventSink],
        event_rules: NamedDependency[EventRules],
    ) -> EventOut:
        """The grid partner (scope `power_events`) announces a peak window, as a manager would."""
        made: list[PowerEvent] = []

        async def work(caller: PartnerCaller) -> SingleOutcome:
            data = signed_call.decode(EventIn, "the body is not an event")
            made.append(
                await announce_event(
                    signed_call.gate.clock, events, event_rules, new_event(data),
                    partner_id=caller.platform.id,
                )
            )  # fmt: skip
            return SingleOutcome("announced")

        await signed_call.run(work, scope="power_events")
        return event_out(made[0], None)
