"""Reading the audit log of partner calls."""

from __future__ import annotations

from game.partners.gate.models import PartnerCall
from game.partners.platforms.registry import get_partner


async def calls_page(
    platform_id: int, before_id: int | None, limit: int
) -> tuple[list[PartnerCall], int | None]:
    """A partner's calls, newest first (refused ones too), and the next page's cursor."""
    await get_partner(platform_id)
    query = PartnerCall.filter(platform_id=platform_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = list(await query.order_by("-id").limit(limit + 1))
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return rows[:limit], next_cursor
