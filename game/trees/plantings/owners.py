"""Who a planting belongs to, and who may see it."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.errors import NotFound
from core.paging import keyset_page
from core.users import Role, User
from game.trees.plantings.models import Planting, PlantingOwner
from game.trees.projects.models import PartnerMember


class PlantingNotFound(NotFound):
    """No such planting (or one the caller may not see)."""

    code = "planting-not-found"
    title = "Planting not found"


async def owner_ids(planting_id: int, conn: BaseDBAsyncClient | None = None) -> list[int]:
    """Every player named on a planting."""
    rows = await PlantingOwner.filter(planting_id=planting_id).using_db(conn).order_by("id")
    return [r.user_id for r in rows]


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
    return await keyset_page(query, before_id, limit, newest_first=True, prefetch=["project"])
