"""Planting partners and their projects: who plants, where, which species, how many a year."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.auth.models import Role, User
from game.clock import Clock
from game.errors import Conflict, Invalid, NotFound
from game.trees.models import (
    PartnerMember,
    PartnerOrganisation,
    PlantingProject,
    ProjectStatus,
    ProjectYear,
)
from game.trees.species import SpeciesCatalog


class PartnerNotFound(NotFound):
    """No such planting partner organisation."""

    code = "planting-partner-not-found"
    title = "Planting partner not found"


class PartnerNameTaken(Conflict):
    """Partner organisation names are unique."""

    code = "planting-partner-exists"
    title = "A planting partner with this name exists"


class NotAPartnerUser(Invalid):
    """Only users with the planting_partner role can report for an organisation."""

    code = "not-a-planting-partner-user"
    title = "The user does not have the planting_partner role"


class ProjectNotFound(NotFound):
    """No such planting project."""

    code = "planting-project-not-found"
    title = "Planting project not found"


class QuotaBelowUse(Conflict):
    """A year's quota cannot drop below the trees already allocated in it."""

    code = "quota-below-use"
    title = "The quota is below what has been allocated this year"


async def create_partner(clock: Clock, name: str, region: str) -> PartnerOrganisation:
    """Register a planting partner organisation."""
    try:
        return await PartnerOrganisation.create(
            name=name.strip(), region=region, created_at=clock.now()
        )
    except IntegrityError:
        raise PartnerNameTaken(f"{name!r} is registered already") from None


async def partner_by_name(name: str) -> PartnerOrganisation:
    """The organisation with this name, or PartnerNotFound."""
    organisation = await PartnerOrganisation.get_or_none(name=name.strip())
    if organisation is None:
        raise PartnerNotFound(f"no planting partner is called {name!r}")
    return organisation


async def attach_partner_user(clock: Clock, organisation_id: int, user_id: int) -> PartnerMember:
    """Let a planting_partner user report for an organisation (moving them from another)."""
    if not await PartnerOrganisation.exists(id=organisation_id):
        raise PartnerNotFound(f"no planting partner {organisation_id}")
    user = await User.get_or_none(id=user_id)
    if user is None or user.role != Role.PLANTING_PARTNER:
        raise NotAPartnerUser(f"user {user_id} is not a planting_partner user")
    now = clock.now()
    await PartnerMember.bulk_create(
        [PartnerMember(user_id=user_id, organisation_id=organisation_id, created_at=now)],
        ignore_conflicts=True,
    )
    await PartnerMember.filter(user_id=user_id).update(organisation_id=organisation_id)
    return await PartnerMember.get(user_id=user_id)


async def partners() -> list[PartnerOrganisation]:
    """Every planting partner organisation."""
    return list(await PartnerOrganisation.all().order_by("id"))


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
        name=given.name,
        organisation_id=given.organisation_id,
        species=given.species,
        region=given.region,
        place=given.place,
        quota_per_year=given.quota_per_year,
        status=ProjectStatus.ACTIVE,
        created_by_id=creator_id,
        created_at=clock.now(),
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
