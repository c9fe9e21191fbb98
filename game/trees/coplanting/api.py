"""HTTP endpoints of co-planting: start with friends, contribute, cancel."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.params import RowId
from core.users import User
from game.trees.coplanting.funding import (
    cancel_coplanting,
    contribute,
    my_coplantings,
    start_coplanting,
    visible_coplanting,
)
from game.trees.coplanting.schemas import (
    ContributedOut,
    ContributeIn,
    CoPlantingIn,
    CoPlantingOut,
    coplanting_out,
)
from game.trees.species.catalog import SpeciesCatalog


class CoPlantingController(Controller):
    """Trees funded by several friends together."""

    tags = ["trees: co-planting"]

    @post(
        "/api/v1/coplantings",
        status_code=HTTP_201_CREATED,
        summary="Start a co-planted tree with friends",
        opt={"idempotent": True},
    )
    async def start(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[CoPlantingIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        species_catalog: NamedDependency[SpeciesCatalog],
    ) -> CoPlantingOut:
        """Invite friends to fund one tree; a tree of the project's quota is held for it."""
        coplanting = await start_coplanting(
            clock, events, species_catalog, request.user.id, data.species, data.invite,
            data.project_id,
        )  # fmt: skip
        _, members = await visible_coplanting(request.user.id, coplanting.id)
        return coplanting_out(coplanting, members)

    @get("/api/v1/coplantings", summary="Co-plantings I am in")
    async def mine(self, request: Request[User, Any, Any]) -> list[CoPlantingOut]:
        """Co-plantings I started or was invited to, newest first."""
        return [coplanting_out(c) for c in await my_coplantings(request.user.id)]

    @get("/api/v1/coplantings/{coplanting_id:int}", summary="One co-planting")
    async def one(self, request: Request[User, Any, Any], coplanting_id: RowId) -> CoPlantingOut:
        """A co-planting I am in, with what each member has put in."""
        coplanting, members = await visible_coplanting(request.user.id, coplanting_id)
        return coplanting_out(coplanting, members)

    @post(
        "/api/v1/coplantings/{coplanting_id:int}/contribute",
        status_code=HTTP_200_OK,
        summary="Put energy into a co-planted tree",
        opt={"idempotent": True},
    )
    async def give(
        self,
        request: Request[User, Any, Any],
        coplanting_id: RowId,
        data: JSONBody[ContributeIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        species_catalog: NamedDependency[SpeciesCatalog],
    ) -> ContributedOut:
        """Up to what is still missing is taken; when the cost is met the tree is planted."""
        result = await contribute(
            clock, events, species_catalog, request.user.id, coplanting_id, data.grams
        )
        _, members = await visible_coplanting(request.user.id, coplanting_id)
        return ContributedOut(
            contributed=result.grams, coplanting=coplanting_out(result.coplanting, members)
        )

    @post(
        "/api/v1/coplantings/{coplanting_id:int}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel a co-planting and refund everyone",
        opt={"idempotent": True},
    )
    async def cancel(
        self,
        request: Request[User, Any, Any],
        coplanting_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> CoPlantingOut:
        """The starter cancels: every contribution goes back to whoever gave it."""
        coplanting = await cancel_coplanting(clock, events, request.user.id, coplanting_id)
        _, members = await visible_coplanting(request.user.id, coplanting_id)
        return coplanting_out(coplanting, members)
