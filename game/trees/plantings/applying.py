"""Applying to plant: energy is spent and a real tree is allocated from a project with quota."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.db import in_transaction
from core.events import EventSink
from core.ids import new_code
from game.energy.ledger import apply_entry, require_balance
from game.trees.plantings.models import (
    Planting,
    PlantingEvent,
    PlantingOwner,
    PlantingStatus,
    tree_number,
)
from game.trees.plantings.status import announce_status
from game.trees.projects.models import PlantingProject
from game.trees.projects.quotas import reserve_quota
from game.trees.species.catalog import Species, SpeciesCatalog


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
        await announce_status(conn, events, planting)
    return planting
