"""HTTP endpoints of the carbon account: the catalog, self-reports and the summary."""

from __future__ import annotations

import uuid
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.users import User
from game.carbon.actions import (
    SELF_SOURCE,
    ActionInput,
    ActionWindow,
    CarbonSummary,
    RecordedAction,
    carbon_summary,
    quantity_value,
    record_action,
    self_report,
)
from game.carbon.catalog import Catalog, Scenario
from game.carbon.models import Action
from game.carbon.schemas import (
    ActionOut,
    CarbonOut,
    RecordedOut,
    ScenarioOut,
    ScenarioTotalsOut,
    SelfReportIn,
)
from game.energy.bubbles import BubbleTiming
from game.energy.schemas import bubble_out


def scenario_out(s: Scenario) -> ScenarioOut:
    """Show a catalog scenario."""
    return msgspec.convert(s, ScenarioOut, from_attributes=True)


def action_out(a: Action) -> ActionOut:
    """Show a credited action."""
    return msgspec.convert(a, ActionOut, from_attributes=True)


def recorded_out(result: RecordedAction, clock: NamedDependency[Clock]) -> RecordedOut:
    """Show the outcome of recording an action."""
    bubble = bubble_out(result.bubble, clock.now()) if result.bubble else None
    return RecordedOut(
        action=action_out(result.action),
        duplicate=result.duplicate,
        capped=result.capped,
        bubble=bubble,
    )


def carbon_out(summary: CarbonSummary) -> CarbonOut:
    """Show the carbon account summary."""
    return CarbonOut(
        today=summary.today,
        week_start=summary.week_start,
        month_start=summary.month_start,
        totals={p: summary.total(p) for p in ("today", "week", "month", "all")},
        scenarios=[
            ScenarioTotalsOut(
                scenario=s.scenario,
                today_grams=s.today_grams,
                week_grams=s.week_grams,
                month_grams=s.month_grams,
                all_grams=s.all_grams,
                all_quantity=s.all_quantity,
                all_actions=s.all_actions,
            )
            for s in summary.scenarios
        ],
    )


class CarbonController(Controller):
    """The methodology catalog and the player's carbon account."""

    tags = ["carbon"]

    @get("/api/v1/scenarios", summary="The methodology catalog")
    async def scenarios(self, catalog: NamedDependency[Catalog]) -> list[ScenarioOut]:
        """Every scenario with its factor, unit, cap and source."""
        return [scenario_out(s) for s in catalog.all()]

    @post(
        "/api/v1/actions",
        summary="Self-report a low-carbon action",
        opt={"idempotent": True},
        responses={
            200: ResponseSpec(RecordedOut, description="Already credited (`duplicate` is true)")
        },
    )
    async def report_action(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[SelfReportIn],
        catalog: NamedDependency[Catalog],
        clock: NamedDependency[Clock],
        timing: NamedDependency[BubbleTiming],
        action_window: NamedDependency[ActionWindow],
    ) -> Response[RecordedOut]:
        """Credit a self-reportable action once (by `external_id`) within its daily cap."""
        user = request.user
        scenario = self_report(catalog, data.scenario)
        client_id = data.external_id or request.headers.get("idempotency-key") or uuid.uuid4().hex
        given = ActionInput(
            user_id=user.id,
            tz=ZoneInfo(user.timezone),
            scenario=scenario,
            quantity=quantity_value(data.quantity),
            source=SELF_SOURCE,
            # Self-reports share one source, so the player's id namespaces their ids.
            external_id=f"{user.id}:{client_id}"[:128],
        )
        result = await record_action(clock, timing, given, action_window)
        status = HTTP_200_OK if result.duplicate else HTTP_201_CREATED
        return Response(recorded_out(result, clock), status_code=status)

    @get("/api/v1/me/carbon", summary="My carbon account")
    async def my_carbon(
        self, request: Request[User, Any, Any], clock: NamedDependency[Clock]
    ) -> CarbonOut:
        """Grams avoided by scenario: today, this week, this month and all time."""
        user = request.user
        return carbon_out(await carbon_summary(clock, user.id, ZoneInfo(user.timezone)))
