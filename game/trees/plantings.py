"""Applying to plant: energy is spent and a real tree is allocated from a project with quota."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from app.auth.models import Role, User
from game.clock import Clock
from game.energy.ledger import InsufficientEnergy, apply_entry
from game.energy.models import EnergyAccount
from game.errors import Conflict, NotFound
from game.events import EventSink
from game.trees.models import (
    PartnerMember,
    Planting,
    PlantingEvent,
    PlantingOwner,
    PlantingProject,
    PlantingStatus,
    ProjectStatus,
    ProjectYear,
)
from game.trees.projects import ProjectNotFound, open_year
from game.trees.species import Species, SpeciesCatalog

# Crockford-style alphabet: no 0/O or 1/I/L to misread on a printed certificate.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12


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


class PlantingNotFound(NotFound):
    """No such planting (or one the caller may not see)."""

    code = "planting-not-found"
    title = "Planting not found"


class WrongPlantingStatus(Conflict):
    """The planting is not at the status this step needs."""

    code = "planting-status-conflict"
    title = "The planting is not at the right status for this"


def new_code() -> str:
    """A random verification code for a certificate."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def tree_number(planting: Planting) -> str:
    """The number printed on the certificate: year and planting id."""
    return f"GS-{planting.year}-{planting.id:07d}"


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


async def record_planting(
    conn: BaseDBAsyncClient,
    clock: Clock,
    species: Species,
    project: PlantingProject,
    year: int,
    owners: Sequence[tuple[int, int]],
    coplanting_id: int | None = None,
) -> Planting:
    """Write the planting, its owners (user id, grams) and its first status event."""
    now = clock.now()
    planting = await Planting.create(
        using_db=conn,
        project_id=project.id,
        year=year,
        species=species.code,
        cost=species.energy_grams,
        coplanting_id=coplanting_id,
        status=PlantingStatus.ALLOCATED,
        code=new_code(),
        created_at=now,
        updated_at=now,
    )
    await PlantingOwner.bulk_create(
        [PlantingOwner(planting_id=planting.id, user_id=u, grams=g) for u, g in owners],
        using_db=conn,
    )
    await PlantingEvent.create(
        using_db=conn,
        planting_id=planting.id,
        status=PlantingStatus.ALLOCATED,
        version=1,
        created_at=now,
    )
    return planting


async def require_balance(user_id: int, grams: int) -> None:
    """Refuse early, before any quota or stock is touched, when the balance cannot cover `grams`.

    The spend itself is still guarded in its UPDATE; this only makes the refusal clear and cheap.
    """
    account = await EnergyAccount.get_or_none(user_id=user_id)
    if account is None or account.balance < grams:
        raise InsufficientEnergy(f"the balance does not cover {grams} g", needed=grams)


async def apply_to_plant(
    clock: Clock,
    events: EventSink,
    catalog: SpeciesCatalog,
    user_id: int,
    species_code: str,
    project_id: int | None = None,
) -> Planting:
    """Spend a tree's cost from the balance and allocate it from a project with quota left."""
    species = catalog.get(species_code)
    await require_balance(user_id, species.energy_grams)
    async with in_transaction() as conn:
        project, year = await reserve_quota(conn, clock, species, project_id)
        planting = await record_planting(
            conn, clock, species, project, year, [(user_id, species.energy_grams)]
        )
        await apply_entry(
            conn,
            clock,
            user_id=user_id,
            delta=-species.energy_grams,
            kind="plant",
            key=f"plant:{planting.id}",
            reason=f"{species.name}, {tree_number(planting)}",
        )
    await announce_status(events, planting)
    return planting


async def owner_ids(planting_id: int, conn: BaseDBAsyncClient | None = None) -> list[int]:
    """Every player named on a planting."""
    rows = await PlantingOwner.filter(planting_id=planting_id).using_db(conn).order_by("id")
    return [r.user_id for r in rows]


async def announce_status(events: EventSink, planting: Planting) -> None:
    """Tell every owner where their tree stands (`planting.status`)."""
    data = {
        "planting_id": planting.id,
        "status": str(planting.status),
        "version": planting.version,
        "tree_number": tree_number(planting),
    }
    for user_id in await owner_ids(planting.id):
        await events.publish(user_id, "planting.status", data)


async def visible_planting(user: User, planting_id: int) -> Planting:
    """A planting its owners, its partner and staff may see; PlantingNotFound for anyone else."""
    planting = await Planting.filter(id=planting_id).prefetch_related("project").first()
    if planting is None:
        raise PlantingNotFound(f"no planting {planting_id}")
    if user.role in (Role.ADMIN, Role.CAMPAIGN_MANAGER):
        return planting
    if user.role == Role.PLANTING_PARTNER:
        member = await PartnerMember.get_or_none(user_id=user.id)
        if member is not None and member.organisation_id == planting.project.organisation_id:
            return planting
    if await PlantingOwner.exists(planting_id=planting_id, user_id=user.id):
        return planting
    raise PlantingNotFound(f"no planting {planting_id}")


async def my_plantings(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[Planting], int | None]:
    """A page of the plantings a player is named on, newest first."""
    query = Planting.filter(owners__user_id=user_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = await query.order_by("-id").limit(limit + 1).prefetch_related("project")
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return list(rows[:limit]), next_cursor


@dataclass(frozen=True)
class StatusChange:
    """A new status with what goes with it."""

    status: PlantingStatus
    expected: PlantingStatus
    actor_id: int
    note: str = ""


async def change_status(
    conn: BaseDBAsyncClient,
    clock: Clock,
    planting: Planting,
    change: StatusChange,
    **fields: object,
) -> None:
    """Move a planting to its next status (and version), guarded against concurrent changes."""
    now = clock.now()
    moved = (
        await Planting.filter(
            Q(id=planting.id), Q(status=change.expected), Q(version=planting.version)
        )
        .using_db(conn)
        .update(status=change.status, version=planting.version + 1, updated_at=now, **fields)
    )
    if moved == 0:
        raise WrongPlantingStatus(f"the planting must be {change.expected} for this")
    await PlantingEvent.create(
        using_db=conn,
        planting_id=planting.id,
        status=change.status,
        version=planting.version + 1,
        actor_id=change.actor_id,
        note=change.note[:200],
        created_at=now,
    )
    await planting.refresh_from_db(using_db=conn)


async def verify_planting(
    clock: Clock, events: EventSink, verifier_id: int, planting_id: int, note: str
) -> Planting:
    """Programme staff confirm a reported planting after checking its evidence."""
    async with in_transaction() as conn:
        planting = await Planting.filter(id=planting_id).using_db(conn).select_for_update().first()
        if planting is None:
            raise PlantingNotFound(f"no planting {planting_id}")
        change = StatusChange(PlantingStatus.VERIFIED, PlantingStatus.PLANTED, verifier_id, note)
        await change_status(conn, clock, planting, change)
    await announce_status(events, planting)
    return planting


async def planting_history(planting_id: int) -> list[PlantingEvent]:
    """Every status a planting has had, oldest first."""
    return list(await PlantingEvent.filter(planting_id=planting_id).order_by("version"))
