"""HTTP endpoints for a player's props."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK

from core.clock import Clock
from core.settings import Settings
from core.users import User
from game.props.inventory import inventory, prop_kind, use_prop
from game.props.schemas import PropsOut, PropUsedOut


class PropsController(Controller):
    """My props."""

    tags = ["props"]

    @get("/api/v1/me/props", summary="My props")
    async def my_props(
        self, request: Request[User, Any, Any], clock: NamedDependency[Clock]
    ) -> PropsOut:
        """How many of each prop I hold and which are in effect."""
        held = await inventory(clock, request.user.id)
        return PropsOut(stock=held.stock, active_until=held.active_until)

    @post(
        "/api/v1/me/props/{kind:str}/use",
        status_code=HTTP_200_OK,
        summary="Use a prop",
        opt={"idempotent": True},
    )
    async def use(
        self,
        request: Request[User, Any, Any],
        kind: Annotated[str, Parameter(max_length=32)],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> PropUsedOut:
        """Spend one prop: a protection cover blocks steals, a double-collect card doubles mine."""
        prop = prop_kind(kind)
        effect = timedelta(seconds=settings.prop_effect_seconds)
        used = await use_prop(clock, request.user.id, prop, effect)
        held = await inventory(clock, request.user.id)
        return PropUsedOut(
            kind=prop.value, starts_at=used.starts_at, ends_at=used.ends_at, left=held.stock[prop]
        )
