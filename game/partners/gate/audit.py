"""Reading the audit log of partner calls."""

from __future__ import annotations

from datetime import timedelta

from core.clock import Clock
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


async def purge_old_calls(clock: Clock, keep: timedelta) -> int:
    """Forget audit rows older than `keep`; returns how many.

    Their signatures no longer guard against replays, and need not: a request that old is
    refused by its timestamp long before (the window is minutes, the history days).
    """
    return int(await PartnerCall.filter(received_at__lt=clock.now() - keep).delete())
