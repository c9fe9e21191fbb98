"""Co-planting: friends fund one real tree together; every contributor is on its certificate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.events import EventSink
from core.users import User
from game.energy.ledger import apply_entry
from game.trees.coplanting.models import (
    CoPlanting,
    CoPlantingContribution,
    CoPlantingMember,
    CoPlantingStatus,
)
from game.trees.plantings.applying import record_planting
from game.trees.plantings.models import Planting
from game.trees.plantings.status import announce_status
from game.trees.projects.quotas import release_quota, reserve_quota
from game.trees.species.catalog import SpeciesCatalog
from social.friends.access import NotFriends, are_friends

MAX_INVITEES = 20


class CoPlantingNotFound(NotFound):
    """No such co-planting among those the caller was invited to."""

    code = "coplanting-not-found"
    title = "Co-planting not found"


class CoPlantingClosed(Conflict):
    """The co-planted tree is planted or cancelled already."""

    code = "coplanting-closed"
    title = "This co-planting is closed"


class NotTheStarter(Forbidden):
    """Only the player who started a co-planting may cancel it."""

    code = "not-the-coplanting-starter"
    title = "Only the starter can cancel a co-planting"


class BadInvitation(Invalid):
    """Invite friends by id: at least one, not yourself, no more than the limit."""

    code = "invalid-coplanting-invitation"
    title = "Invite between 1 and 20 friends, not yourself"


@dataclass(frozen=True)
class Contributed:
    """What a contribution did: the grams taken, and the planting if the tree is now funded."""

    coplanting: CoPlanting
    grams: int
    planting: Planting | None


async def _invitable(starter_id: int, invitees: Sequence[int]) -> list[int]:
    """The distinct friends to invite, or why they cannot be."""
    invited = sorted(set(invitees))
    if not invited or len(invited) > MAX_INVITEES or starter_id in invited:
        raise BadInvitation()
    for friend_id in invited:
        if not await are_friends(starter_id, friend_id):
            raise NotFriends(f"player {friend_id} is not your friend", user_id=friend_id)
    return invited


async def start_coplanting(
    clock: Clock,
    events: EventSink,
    catalog: SpeciesCatalog,
    starter_id: int,
    species_code: str,
    invitees: Sequence[int],
    project_id: int | None = None,
) -> CoPlanting:
    """Start a tree with invited friends; a tree of this year's quota is held for it."""
    species = catalog.get(species_code)
    invited = await _invitable(starter_id, invitees)
    now = clock.now()
    async with in_transaction() as conn:
        project, year = await reserve_quota(conn, clock, species, project_id)
        coplanting = await CoPlanting.create(
            using_db=conn,
            starter_id=starter_id,
            species=species.code,
            project_id=project.id,
            year=year,
            cost=species.energy_grams,
            created_at=now,
        )
        await CoPlantingMember.bulk_create(
            [
                CoPlantingMember(coplanting_id=coplanting.id, user_id=u, created_at=now)
                for u in [starter_id, *invited]
            ],
            using_db=conn,
        )
        for friend_id in invited:
            await events.publish(
                conn, friend_id, "coplanting.invited",
                {"coplanting_id": coplanting.id, "from_user_id": starter_id,
                 "species": species.code},
            )  # fmt: skip
    return coplanting


async def _locked_for_member(
    conn: BaseDBAsyncClient, coplanting_id: int, user_id: int
) -> CoPlanting:
    coplanting = (
        await CoPlanting.filter(id=coplanting_id).using_db(conn).select_for_update().first()
    )
    member = (
        await CoPlantingMember.filter(coplanting_id=coplanting_id, user_id=user_id)
        .using_db(conn)
        .exists()
    )
    if coplanting is None or not member:
        raise CoPlantingNotFound(f"no co-planting {coplanting_id}")
    if coplanting.status != CoPlantingStatus.OPEN:
        raise CoPlantingClosed(f"the co-planting is {coplanting.status}")
    return coplanting


async def contribute(
    clock: Clock,
    events: EventSink,
    catalog: SpeciesCatalog,
    user_id: int,
    coplanting_id: int,
    grams: int,
) -> Contributed:
    """A member puts energy in (at most what is still missing); the last gram plants the tree."""
    async with in_transaction() as conn:
        coplanting = await _locked_for_member(conn, coplanting_id, user_id)
        taken = min(grams, coplanting.cost - coplanting.funded)
        contribution = await CoPlantingContribution.create(
            using_db=conn,
            coplanting_id=coplanting.id,
            user_id=user_id,
            grams=taken,
            created_at=clock.now(),
        )
        await apply_entry(
            conn, clock, user_id=user_id, delta=-taken, kind="coplant",
            key=f"coplant:{contribution.id}", reason=f"co-planting {coplanting.id}",
        )  # fmt: skip
        coplanting.funded += taken
        planting = None
        if coplanting.funded == coplanting.cost:
            planting = await _plant(conn, clock, catalog, coplanting)
            await announce_status(conn, events, planting)
        await coplanting.save(using_db=conn)
    return Contributed(coplanting=coplanting, grams=taken, planting=planting)


async def _plant(
    conn: BaseDBAsyncClient, clock: Clock, catalog: SpeciesCatalog, coplanting: CoPlanting
) -> Planting:
    given: dict[int, int] = defaultdict(int)
    rows = await CoPlantingContribution.filter(coplanting_id=coplanting.id).using_db(conn)
    for row in sorted(rows, key=lambda r: r.id):
        given[row.user_id] += row.grams
    await coplanting.fetch_related("project", using_db=conn)
    planting = await record_planting(
        conn, clock, catalog.get(coplanting.species), coplanting.project, coplanting.year,
        list(given.items()), coplanting_id=coplanting.id,
    )  # fmt: skip
    coplanting.status = CoPlantingStatus.PLANTED
    coplanting.planting_id = planting.id
    coplanting.closed_at = clock.now()
    return planting


async def cancel_coplanting(
    clock: Clock, events: EventSink, user_id: int, coplanting_id: int
) -> CoPlanting:
    """The starter cancels an open co-planting: every contribution goes back to its giver."""
    async with in_transaction() as conn:
        coplanting = await _locked_for_member(conn, coplanting_id, user_id)
        if coplanting.starter_id != user_id:
            raise NotTheStarter()
        rows = await CoPlantingContribution.filter(
            coplanting_id=coplanting.id, refunded=False
        ).using_db(conn)
        # Accounts are locked in one order so two cancellations cannot deadlock.
        for row in sorted(rows, key=lambda r: (r.user_id, r.id)):
            await apply_entry(
                conn, clock, user_id=row.user_id, delta=row.grams, kind="coplant_refund",
                key=f"coplant_refund:{row.id}", reason=f"co-planting {coplanting.id} cancelled",
            )  # fmt: skip
        await (
            CoPlantingContribution.filter(id__in=[r.id for r in rows])
            .using_db(conn)
            .update(refunded=True)
        )
        await release_quota(conn, coplanting.project_id, coplanting.year)
        coplanting.status = CoPlantingStatus.CANCELLED
        coplanting.funded = 0
        coplanting.closed_at = clock.now()
        await coplanting.save(using_db=conn)
        for member_id in await member_ids(coplanting.id, conn):
            await events.publish(
                conn, member_id, "coplanting.cancelled", {"coplanting_id": coplanting.id}
            )
    return coplanting


async def member_ids(coplanting_id: int, conn: BaseDBAsyncClient | None = None) -> list[int]:
    """Everyone invited to a co-planting, the starter first."""
    rows = await CoPlantingMember.filter(coplanting_id=coplanting_id).using_db(conn).order_by("id")
    return [r.user_id for r in rows]


@dataclass(frozen=True)
class MemberShare:
    """A member and what they have put in (refunds excluded)."""

    user: User
    contributed: int


async def visible_coplanting(
    user_id: int, coplanting_id: int
) -> tuple[CoPlanting, list[MemberShare]]:
    """A co-planting its members may see, with each member's share."""
    coplanting = await CoPlanting.get_or_none(id=coplanting_id)
    ids = await member_ids(coplanting_id)
    if coplanting is None or user_id not in ids:
        raise CoPlantingNotFound(f"no co-planting {coplanting_id}")
    return coplanting, await shares(coplanting.id, ids)


async def shares(coplanting_id: int, ids: list[int]) -> list[MemberShare]:
    """Each member's contribution, in invitation order."""
    given: dict[int, int] = defaultdict(int)
    for row in await CoPlantingContribution.filter(coplanting_id=coplanting_id, refunded=False):
        given[row.user_id] += row.grams
    users = {u.id: u for u in await User.filter(id__in=ids)}
    return [MemberShare(users[i], given[i]) for i in ids if i in users]


async def my_coplantings(user_id: int) -> list[CoPlanting]:
    """Co-plantings the player was invited to or started, newest first."""
    return list(await CoPlanting.filter(members__user_id=user_id).order_by("-id").limit(100))
