"""Protected areas: players adopt square metres of land (docs/rules.md#protected-areas)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tortoise.expressions import F
from tortoise.functions import Count, Sum

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, NotFound
from game.energy.ledger import apply_entry, require_balance
from game.trees.welfare.models import Adoption, OpenStatus, ProtectedArea


class AreaNotFound(NotFound):
    """No such protected area."""

    code = "protected-area-not-found"
    title = "Protected area not found"


class AreaClosed(Conflict):
    """The area takes no more adoptions."""

    code = "protected-area-closed"
    title = "This protected area is closed"


class AreaSoldOut(Conflict):
    """Fewer square metres are left than asked for."""

    code = "protected-area-sold-out"
    title = "Not enough square metres left"


@dataclass(frozen=True)
class NewArea:
    """What a campaign manager or admin gives to open a protected area."""

    name: str
    region: str
    place: str
    steward: str
    description: str
    price_grams_per_m2: int
    total_m2: int


async def create_area(clock: Clock, creator_id: int, given: NewArea) -> ProtectedArea:
    """Open a protected area for adoption at a price in energy per square metre."""
    return await ProtectedArea.create(
        **asdict(given), remaining_m2=given.total_m2, created_by_id=creator_id,
        created_at=clock.now(),
    )  # fmt: skip


async def adopt_area(clock: Clock, user_id: int, area_id: int, square_metres: int) -> Adoption:
    """Spend energy on square metres of an area, never selling more than it has."""
    area = await ProtectedArea.get_or_none(id=area_id)
    if area is None:
        raise AreaNotFound(f"no protected area {area_id}")
    grams = square_metres * area.price_grams_per_m2
    await require_balance(user_id, grams)
    async with in_transaction() as conn:
        # The guards are in the UPDATE: concurrent adopters cannot take the same last metres.
        taken = (
            await ProtectedArea.filter(
                id=area_id, status=OpenStatus.OPEN, remaining_m2__gte=square_metres
            )
            .using_db(conn)
            .update(
                sold_m2=F("sold_m2") + square_metres, remaining_m2=F("remaining_m2") - square_metres
            )
        )
        if taken == 0:
            await _refuse(area_id, square_metres)
        adoption = await Adoption.create(
            using_db=conn, area_id=area_id, user_id=user_id, square_metres=square_metres,
            grams=grams, created_at=clock.now(),
        )  # fmt: skip
        await apply_entry(
            conn, clock, user_id=user_id, delta=-grams, kind="adopt",
            key=f"adopt:{adoption.id}", reason=f"{square_metres} m² of {area.name}",
        )  # fmt: skip
    return adoption


async def _refuse(area_id: int, square_metres: int) -> None:
    area = await ProtectedArea.get(id=area_id)
    if area.status != OpenStatus.OPEN:
        raise AreaClosed()
    raise AreaSoldOut(
        f"{area.remaining_m2} m² left, {square_metres} asked", remaining_m2=area.remaining_m2
    )


@dataclass(frozen=True)
class AreaTotals:
    """An area with how many players adopted it and what the caller holds in it."""

    area: ProtectedArea
    adopters: int
    mine_m2: int


async def areas_with_totals(user_id: int) -> list[AreaTotals]:
    """Every protected area with its adopters and the caller's square metres."""
    areas = await ProtectedArea.all().order_by("id")
    adopters = await (
        Adoption.all().annotate(n=Count("user_id", distinct=True)).group_by("area_id")
        .values("area_id", "n")
    )  # fmt: skip
    mine = await (
        Adoption.filter(user_id=user_id).annotate(m2=Sum("square_metres")).group_by("area_id")
        .values("area_id", "m2")
    )  # fmt: skip
    counts = {r["area_id"]: int(r["n"]) for r in adopters}
    held = {r["area_id"]: int(r["m2"] or 0) for r in mine}
    return [AreaTotals(a, counts.get(a.id, 0), held.get(a.id, 0)) for a in areas]


async def adopted_by(user_id: int) -> list[tuple[ProtectedArea, int, int]]:
    """Per area, the square metres a player adopted and the energy it took."""
    rows = await (
        Adoption.filter(user_id=user_id)
        .annotate(m2=Sum("square_metres"), spent=Sum("grams"))
        .group_by("area_id")
        .values("area_id", "m2", "spent")
    )
    areas = {a.id: a for a in await ProtectedArea.filter(id__in=[r["area_id"] for r in rows])}
    return [(areas[r["area_id"]], int(r["m2"]), int(r["spent"])) for r in rows]


async def set_area_status(area_id: int, status: OpenStatus) -> ProtectedArea:
    """Open or close an area for adoption."""
    if await ProtectedArea.filter(id=area_id).update(status=status) == 0:
        raise AreaNotFound(f"no protected area {area_id}")
    return await ProtectedArea.get(id=area_id)


async def area_totals(user_id: int, area_id: int) -> AreaTotals:
    """One area with its totals and the player's own square metres."""
    for totals in await areas_with_totals(user_id):
        if totals.area.id == area_id:
            return totals
    raise AreaNotFound(f"no protected area {area_id}")
