"""Planting partners and their projects: who plants, where, which species, how many a year."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict
from game.trees.projects.models import (
    PartnerOrganisation,
    PlantingProject,
    ProjectStatus,
    ProjectYear,
)
from game.trees.projects.partners import PartnerNotFound
from game.trees.projects.quotas import ProjectNotFound, open_year
from game.trees.species.catalog import SpeciesCatalog


class QuotaBelowUse(Conflict):
    """A year's quota cannot drop below the trees already allocated in it."""

    code = "quota-below-use"
    title = "The quota is below what has been allocated this year"


@dataclass(frozen=True)
class NewProject:
    """What a campaign manager or admin gives to open a project."""

    name: str
    organisation_id: int
    species: str
    region: str
    place: str
    quota_per_year: int


async def create_project(
    clock: Clock, catalog: SpeciesCatalog, creator_id: int, given: NewProject
) -> PlantingProject:
    """Open a planting project for a species with a partner and a yearly quota."""
    catalog.get(given.species)
    if not await PartnerOrganisation.exists(id=given.organisation_id):
        raise PartnerNotFound(f"no planting partner {given.organisation_id}")
    return await PlantingProject.create(
        **asdict(given), status=ProjectStatus.ACTIVE, created_by_id=creator_id,
        created_at=clock.now(),
    )  # fmt: skip


async def update_project(
    clock: Clock, project_id: int, status: ProjectStatus | None, quota_per_year: int | None
) -> PlantingProject:
    """Pause, close or reopen a project, or change its yearly quota (this year's row follows)."""
    year = clock.now().year
    async with in_transaction() as conn:
        project = (
            await PlantingProject.filter(id=project_id).using_db(conn).select_for_update().first()
        )
        if project is None:
            raise ProjectNotFound(f"no planting project {project_id}")
        if quota_per_year is not None and quota_per_year != project.quota_per_year:
            await open_year(conn, project, year)
            change = quota_per_year - project.quota_per_year
            # The guard keeps quota = used + remaining with remaining never negative.
            changed = (
                await ProjectYear.filter(project_id=project.id, year=year, remaining__gte=-change)
                .using_db(conn)
                .update(quota=F("quota") + change, remaining=F("remaining") + change)
            )
            if changed == 0:
                raise QuotaBelowUse(f"{quota_per_year} is below this year's allocations")
            project.quota_per_year = quota_per_year
        if status is not None:
            project.status = status
        await project.save(using_db=conn)
    return project


async def get_project(project_id: int) -> PlantingProject:
    """A project by id, or ProjectNotFound."""
    project = await PlantingProject.get_or_none(id=project_id)
    if project is None:
        raise ProjectNotFound(f"no planting project {project_id}")
    return project


async def projects_with_use(year: int) -> list[tuple[PlantingProject, int, int]]:
    """Every project with (used, remaining) for `year`."""
    projects = await PlantingProject.all().order_by("id")
    rows = await ProjectYear.filter(year=year).values("project_id", "used", "remaining")
    by_project = {r["project_id"]: (int(r["used"]), int(r["remaining"])) for r in rows}
    return [(p, *by_project.get(p.id, (0, p.quota_per_year))) for p in projects]
