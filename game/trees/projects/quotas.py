"""Quota: how many trees each project may plant in a calendar year, taken one at a time."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from core.clock import Clock
from core.errors import Conflict, NotFound
from game.trees.projects.models import (
    PlantingProject,
    ProjectStatus,
    ProjectYear,
)
from game.trees.species.catalog import Species


class QuotaExhausted(Conflict):
    """No active project for this species has quota left this year."""

    code = "planting-quota-exhausted"
    title = "No planting quota left for this species"


class ProjectNotActive(Conflict):
    """The project is paused or closed."""

    code = "planting-project-not-active"
    title = "The planting project is not taking plantings"


class ProjectSpeciesMismatch(Conflict):
    """The project plants another species."""

    code = "planting-project-species-mismatch"
    title = "The project does not plant this species"


async def reserve_quota(
    conn: BaseDBAsyncClient, clock: Clock, species: Species, project_id: int | None
) -> tuple[PlantingProject, int]:
    """Take one tree from this year's quota of the given project, or the first with quota left."""
    year = clock.now().year
    if project_id is not None:
        project = await PlantingProject.filter(id=project_id).using_db(conn).first()
        if project is None:
            raise ProjectNotFound(f"no planting project {project_id}")
        if project.species != species.code:
            raise ProjectSpeciesMismatch(f"project {project_id} plants {project.species}")
        if project.status != ProjectStatus.ACTIVE:
            raise ProjectNotActive(f"project {project_id} is {project.status}")
        candidates = [project]
    else:
        candidates = list(
            await PlantingProject.filter(species=species.code, status=ProjectStatus.ACTIVE)
            .using_db(conn)
            .order_by("id")
        )
    for project in candidates:
        await open_year(conn, project, year)
        # The guard is in the UPDATE: concurrent applicants cannot take the same last tree.
        taken = (
            await ProjectYear.filter(project_id=project.id, year=year, remaining__gte=1)
            .using_db(conn)
            .update(used=F("used") + 1, remaining=F("remaining") - 1)
        )
        if taken:
            return project, year
    raise QuotaExhausted(f"no {species.name} project has quota left in {year}", year=year)


async def release_quota(conn: BaseDBAsyncClient, project_id: int, year: int) -> None:
    """Give back a reserved tree (a co-planting that was cancelled)."""
    await (
        ProjectYear.filter(project_id=project_id, year=year, used__gte=1)
        .using_db(conn)
        .update(used=F("used") - 1, remaining=F("remaining") + 1)
    )


async def open_year(conn: BaseDBAsyncClient, project: PlantingProject, year: int) -> None:
    """Make sure the project's quota row for `year` exists (insert-or-ignore)."""
    await ProjectYear.bulk_create(
        [
            ProjectYear(
                project_id=project.id,
                year=year,
                quota=project.quota_per_year,
                remaining=project.quota_per_year,
            )
        ],
        ignore_conflicts=True,
        using_db=conn,
    )


class ProjectNotFound(NotFound):
    """No such planting project."""

    code = "planting-project-not-found"
    title = "Planting project not found"
