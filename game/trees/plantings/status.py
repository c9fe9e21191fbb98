"""A planting's status (allocated, planted, verified): every change recorded and announced."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict
from core.events import EventSink
from game.trees.plantings.models import Planting, PlantingEvent, PlantingStatus, tree_number
from game.trees.plantings.owners import PlantingNotFound, owner_ids


class WrongPlantingStatus(Conflict):
    """The planting is not at the status this step needs."""

    code = "planting-status-conflict"
    title = "The planting is not at the right status for this"


async def announce_status(conn: BaseDBAsyncClient, events: EventSink, planting: Planting) -> None:
    """Tell every owner where their tree stands (`planting.status`), in the change's transaction."""
    data = {
        "planting_id": planting.id,
        "status": str(planting.status),
        "version": planting.version,
        "tree_number": tree_number(planting),
    }
    for user_id in await owner_ids(planting.id, conn):
        await events.publish(conn, user_id, "planting.status", data)


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
        await announce_status(conn, events, planting)
    return planting


async def planting_history(planting_id: int) -> list[PlantingEvent]:
    """Every status a planting has had, oldest first."""
    return list(await PlantingEvent.filter(planting_id=planting_id).order_by("version"))
