"""HTTP endpoint of household power: the player's metered use by day and month."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from core.clock import Clock
from core.users import User
from game.power.readings import meter_summary
from game.power.schemas import MeterSummaryOut, meter_summary_out

Month = Annotated[
    str | None,
    Parameter(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM; this month by default"),
]


class PowerController(Controller):
    """The player's smart-meter readings."""

    tags = ["power"]

    @get("/api/v1/me/meter", summary="My metered power use by day and month")
    async def my_meter(
        self, request: Request[User, Any, Any], clock: NamedDependency[Clock], month: Month = None
    ) -> MeterSummaryOut:
        """kWh per local day of a month and per month for the twelve months up to it."""
        user = request.user
        summary = await meter_summary(clock, user.id, ZoneInfo(user.timezone), month)
        return meter_summary_out(summary)
