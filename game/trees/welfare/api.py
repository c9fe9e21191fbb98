"""HTTP endpoints of protected areas, public-welfare projects and donations."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.guards import requires_role
from core.params import IntId
from core.users import Role, User
from game.trees.welfare.areas import (
    AreaTotals,
    NewArea,
    adopt_area,
    adopted_by,
    area_totals,
    areas_with_totals,
    create_area,
    set_area_status,
)
from game.trees.welfare.donations import (
    NewWelfareProject,
    create_welfare_project,
    donate,
    my_donations,
    set_welfare_status,
    welfare_projects,
)
from game.trees.welfare.models import OpenStatus
from game.trees.welfare.schemas import (
    AdoptIn,
    AdoptionOut,
    AreaIn,
    AreaOut,
    DonateIn,
    DonationOut,
    MyAdoptionsOut,
    MyAreaOut,
    StatusIn,
    WelfareIn,
    WelfareOut,
    adoption_out,
    area_out,
    donation_out,
    welfare_out,
)

MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]
AREAS, WELFARE = ["trees: protected areas"], ["trees: welfare"]


class WelfareController(Controller):
    """Land players protect by adopting square metres, and public-welfare projects they fund."""

    @get("/api/v1/protected-areas", summary="Protected areas and their totals", tags=AREAS)
    async def list_areas(self, request: Request[User, Any, Any]) -> list[AreaOut]:
        """Every area: price per m², sold, left, adopters and my square metres."""
        return [area_out(t) for t in await areas_with_totals(request.user.id)]

    @get("/api/v1/protected-areas/{area_id:int}", summary="One protected area", tags=AREAS)
    async def one_area(self, request: Request[User, Any, Any], area_id: IntId) -> AreaOut:
        """An area with its totals."""
        return area_out(await area_totals(request.user.id, area_id))

    @post(
        "/api/v1/protected-areas",
        guards=MANAGERS,
        status_code=HTTP_201_CREATED,
        summary="Open a protected area",
        tags=AREAS,
    )
    async def add_area(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[AreaIn],
        clock: NamedDependency[Clock],
    ) -> AreaOut:
        """Campaign managers and admins open an area at a price in energy per m²."""
        given = NewArea(
            name=data.name, region=data.region, place=data.place, steward=data.steward,
            description=data.description, price_grams_per_m2=data.price_grams_per_m2,
            total_m2=data.total_m2,
        )  # fmt: skip
        area = await create_area(clock, request.user.id, given)
        return area_out(AreaTotals(area, 0, 0))

    @patch(
        "/api/v1/protected-areas/{area_id:int}",
        guards=MANAGERS,
        summary="Open or close",
        tags=AREAS,
    )
    async def change_area(
        self, request: Request[User, Any, Any], area_id: IntId, data: JSONBody[StatusIn]
    ) -> AreaOut:
        """Close an area to adoption, or open it again."""
        await set_area_status(area_id, OpenStatus(data.status))
        return area_out(await area_totals(request.user.id, area_id))

    @post(
        "/api/v1/protected-areas/{area_id:int}/adopt",
        status_code=HTTP_201_CREATED,
        summary="Adopt square metres",
        opt={"idempotent": True},
        tags=AREAS,
    )
    async def adopt(
        self,
        request: Request[User, Any, Any],
        area_id: IntId,
        data: JSONBody[AdoptIn],
        clock: NamedDependency[Clock],
    ) -> AdoptionOut:
        """Spend energy on square metres of the area (never more than it has left)."""
        return adoption_out(await adopt_area(clock, request.user.id, area_id, data.square_metres))

    @get("/api/v1/me/adoptions", summary="My protected land", tags=AREAS)
    async def my_land(self, request: Request[User, Any, Any]) -> MyAdoptionsOut:
        """My square metres and the energy they took, per area and in total."""
        held = await adopted_by(request.user.id)
        return MyAdoptionsOut(
            total_m2=sum(m2 for _, m2, _ in held),
            total_grams=sum(grams for _, _, grams in held),
            areas=[MyAreaOut(a.id, a.name, m2, grams) for a, m2, grams in held],
        )

    @get("/api/v1/welfare-projects", summary="Public-welfare projects", tags=WELFARE)
    async def list_projects(self) -> list[WelfareOut]:
        """Every project with energy raised and what is left of its sponsor's pool."""
        return [welfare_out(p) for p in await welfare_projects()]

    @post(
        "/api/v1/welfare-projects",
        guards=MANAGERS,
        status_code=HTTP_201_CREATED,
        summary="Open a welfare project",
        tags=WELFARE,
    )
    async def add_project(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[WelfareIn],
        clock: NamedDependency[Clock],
    ) -> WelfareOut:
        """Campaign managers and admins open a project, optionally with a sponsor's budget."""
        given = NewWelfareProject(
            name=data.name, beneficiary=data.beneficiary, description=data.description,
            sponsor=data.sponsor, match_budget=data.match_budget,
        )  # fmt: skip
        return welfare_out(await create_welfare_project(clock, request.user.id, given))

    @patch(
        "/api/v1/welfare-projects/{project_id:int}",
        guards=MANAGERS,
        summary="Open or close",
        tags=WELFARE,
    )
    async def change_project(self, project_id: IntId, data: JSONBody[StatusIn]) -> WelfareOut:
        """Close a project to donations, or open it again."""
        return welfare_out(await set_welfare_status(project_id, OpenStatus(data.status)))

    @post(
        "/api/v1/welfare-projects/{project_id:int}/donate",
        status_code=HTTP_201_CREATED,
        summary="Donate energy",
        opt={"idempotent": True},
        tags=WELFARE,
    )
    async def give(
        self,
        request: Request[User, Any, Any],
        project_id: IntId,
        data: JSONBody[DonateIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> DonationOut:
        """Give energy; the sponsor matches it 1:1 while the pool lasts."""
        return donation_out(await donate(clock, events, request.user.id, project_id, data.grams))

    @get("/api/v1/me/donations", summary="My donations", tags=WELFARE)
    async def mine(self, request: Request[User, Any, Any]) -> list[DonationOut]:
        """My donations, newest first."""
        return [donation_out(d) for d in await my_donations(request.user.id)]
