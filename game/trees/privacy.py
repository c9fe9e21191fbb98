"""Trees in a player's export and erasure. Plantings, co-plantings, adoptions and donations stay
(real trees, spent energy, sponsors' budgets), shown under the pseudonym; the tree being grown is
forgotten, and cached certificates that drew the player's name are deleted."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.db import run_after_commit
from core.privacy import Erasure, ExportPart, ExportRequest
from game.trees.coplanting.models import CoPlantingContribution, CoPlantingMember
from game.trees.plantings.models import PlantingOwner
from game.trees.render import RenderCache
from game.trees.species.models import TreeChoice
from game.trees.welfare.models import Adoption, Donation


async def export_trees(request: ExportRequest) -> ExportPart:
    """The tree I grow, my plantings, co-plantings, adoptions and donations."""
    me = request.user_id
    data = {
        "tree": await TreeChoice.filter(user_id=me).values("species", "chosen_at"),
        "plantings": await PlantingOwner.filter(user_id=me)
        .order_by("planting_id")
        .values(
            "planting_id", "grams", "planting__species", "planting__status",
            "planting__code", "planting__planted_on", "planting__created_at",
        ),
        "coplanting_memberships": await CoPlantingMember.filter(user_id=me)
        .order_by("id")
        .values("coplanting_id", "created_at"),
        "coplanting_contributions": await CoPlantingContribution.filter(user_id=me)
        .order_by("id")
        .values("coplanting_id", "grams", "refunded", "created_at"),
        "adoptions": await Adoption.filter(user_id=me)
        .order_by("id")
        .values("area_id", "square_metres", "grams", "created_at"),
        "donations": await Donation.filter(user_id=me)
        .order_by("id")
        .values("project_id", "grams", "matched", "code", "created_at"),
    }  # fmt: skip
    return ExportPart("trees", data)


async def erase_trees(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Forget the tree being grown; delete cached certificates that show the player's name."""
    me = erasure.user_id
    await TreeChoice.filter(user_id=me).using_db(conn).delete()
    plantings = (
        await PlantingOwner.filter(user_id=me).using_db(conn).values_list("planting_id", flat=True)
    )
    donations = await Donation.filter(user_id=me).using_db(conn).values_list("id", flat=True)
    prefixes = [f"planting-{p}-v" for p in plantings] + [f"donation-{d}-" for d in donations]
    cache = RenderCache.in_cache_dir(erasure.cache_dir)

    async def forget() -> None:
        await cache.forget(prefixes)

    await run_after_commit(forget)
