"""HTTP endpoints for staff: planting partners, planting projects, verifying plantings."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.guards import requires_role
from core.params import IntId
from core.users import Role, User
from game.trees.projects.models import PlantingProject, ProjectStatus, ProjectYear
from game.trees.projects.partners import attach_partner_user, create_partner, list_partners
from game.trees.projects.registry import (
    NewProject,
    create_project,
    get_project,
    projects_with_use,
    update_project,
)
from game.trees.projects.schemas import (
    PartnerIn,
    PartnerMemberIn,
    PartnerMemberOut,
    PartnerOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    partner_out,
    project_out,
)
from game.trees.species.catalog import SpeciesCatalog

ADMINS = [requires_role()]
MANAGERS = [requires_role(Role.CAMPAIGN_MANAGER)]


async def _project_shown(project: PlantingProject, year: int) -> ProjectOut:
    row = await ProjectYear.get_or_none(project_id=project.id, year=year)
    used, remaining = (row.used, row.remaining) if row else (0, project.quota_per_year)
    return project_out(project, year, used, remaining)


class ProjectsController(Controller):
    """Partners and projects (admins, campaign managers) and verification (admins)."""

    tags = ["trees: staff"]

    @post(
        "/api/v1/admin/planting-partners",
        guards=ADMINS,
        status_code=HTTP_201_CREATED,
        summary="Register a planting partner organisation",
    )
    async def add_partner(
        self, data: JSONBody[PartnerIn], clock: NamedDependency[Clock]
    ) -> PartnerOut:
        """Admins register an organisation that plants and reports trees."""
        return partner_out(await create_partner(clock, data.name, data.region))

    @get("/api/v1/admin/planting-partners", guards=MANAGERS, summary="Planting partners")
    async def list_partners(self) -> list[PartnerOut]:
        """Every planting partner organisation."""
        return [partner_out(p) for p in await list_partners()]

    @post(
        "/api/v1/admin/planting-partners/{partner_id:int}/members",
        guards=ADMINS,
        status_code=HTTP_200_OK,
        summary="Attach a planting_partner user to an organisation",
    )
    async def attach_member(
        self, partner_id: IntId, data: JSONBody[PartnerMemberIn], clock: NamedDependency[Clock]
    ) -> PartnerMemberOut:
        """The user (role planting_partner) reports for this organisation from now on."""
        member = await attach_partner_user(clock, partner_id, data.user_id)
        return PartnerMemberOut(user_id=member.user_id, organisation_id=member.organisation_id)

    @post(
        "/api/v1/planting-projects",
        guards=MANAGERS,
        status_code=HTTP_201_CREATED,
        summary="Open a planting project",
    )
    async def add_project(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[ProjectIn],
        clock: NamedDependency[Clock],
        species_catalog: NamedDependency[SpeciesCatalog],
    ) -> ProjectOut:
        """A partner's site for one species with a yearly quota of trees."""
        given = NewProject(
            name=data.name,
            organisation_id=data.partner_id,
            species=data.species,
            region=data.region,
            place=data.place,
            quota_per_year=data.quota_per_year,
        )
        project = await create_project(clock, species_catalog, request.user.id, given)
        return await _project_shown(project, clock.now().year)

    @get("/api/v1/planting-projects", summary="Planting projects and their quota this year")
    async def list_projects(self, clock: NamedDependency[Clock]) -> list[ProjectOut]:
        """Every project with this year's trees allocated and left."""
        year = clock.now().year
        return [project_out(p, year, u, r) for p, u, r in await projects_with_use(year)]

    @get("/api/v1/planting-projects/{project_id:int}", summary="One planting project")
    async def get_one_project(self, project_id: IntId, clock: NamedDependency[Clock]) -> ProjectOut:
        """A project with this year's quota use."""
        return await _project_shown(await get_project(project_id), clock.now().year)

    @patch(
        "/api/v1/planting-projects/{project_id:int}",
        guards=MANAGERS,
        summary="Pause, close or reopen a project, or change its quota",
    )
    async def change_project(
        self, project_id: IntId, data: JSONBody[ProjectPatch], clock: NamedDependency[Clock]
    ) -> ProjectOut:
        """Change a project's status or yearly quota (never below this year's allocations)."""
        status = ProjectStatus(data.status) if data.status else None
        project = await update_project(clock, project_id, status, data.quota_per_year)
        return await _project_shown(project, clock.now().year)
