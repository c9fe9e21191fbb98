"""Steals, waterings, helps and revivals in a player's export. They stay on erasure: each moved
energy on the ledger, and the other player's side of it is theirs (docs/reliability.md#privacy)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.db import run_after_commit
from core.privacy import Erasure, ExportPart, ExportRequest
from game.forest.models import Help, Revival, Steal, Watering
from game.trees.render import RenderCache


async def export_forest(request: ExportRequest) -> ExportPart:
    """Steals, waterings, helps and revivals, each both ways."""
    me = request.user_id
    fields = ("id", "bubble_id", "thief_id", "grams", "doubled", "created_at")
    watering = ("id", "giver_id", "receiver_id", "grams", "local_date", "created_at")
    helping = ("id", "bubble_id", "owner_id", "helper_id", "grams", "created_at")
    reviving = ("id", "bubble_id", "owner_id", "reviver_id", "paid_with", "grams", "cost",
                "created_at")  # fmt: skip
    data = {
        "steals_by_me": await Steal.filter(thief_id=me).order_by("id").values(*fields),
        "steals_from_me": await Steal.filter(bubble__owner_id=me).order_by("id").values(*fields),
        "waterings_given": await Watering.filter(giver_id=me).order_by("id").values(*watering),
        "waterings_received": await Watering.filter(receiver_id=me)
        .order_by("id")
        .values(*watering),
        "helps_given": await Help.filter(helper_id=me).order_by("id").values(*helping),
        "helps_received": await Help.filter(owner_id=me).order_by("id").values(*helping),
        "revivals_done": await Revival.filter(reviver_id=me).order_by("id").values(*reviving),
        "revivals_received": await Revival.filter(owner_id=me).order_by("id").values(*reviving),
    }
    return ExportPart("forest", data)


async def erase_forest(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Delete cached share cards of the erased player's forest (they show the name)."""
    cache = RenderCache.in_cache_dir(erasure.cache_dir)
    prefix = f"card-{erasure.user_id}-"

    async def forget() -> None:
        await cache.forget([prefix])

    await run_after_commit(forget)
