"""Board counts and finished weeks in a player's export. They stay on erasure, under the
pseudonym: a rebuilt board must equal the one before, and other players' weeks name their
rival (docs/reliability.md#privacy)."""

from __future__ import annotations

from core.privacy import ExportPart, ExportRequest
from game.leaderboards.models import BoardCount, WeeklyResult

WEEK_FIELDS = (
    "week", "starts_at", "ends_at", "grams", "rank", "players", "rival_id", "rival_grams",
    "outcome",
)  # fmt: skip


async def export_boards(request: ExportRequest) -> ExportPart:
    """My counts on count boards (kindness) and my finished weeks among friends."""
    me = request.user_id
    data = {
        "counts": await BoardCount.filter(user_id=me)
        .order_by("board")
        .values("board", "count", "reached_at"),
        "weekly_results": await WeeklyResult.filter(user_id=me)
        .order_by("starts_at")
        .values(*WEEK_FIELDS),
    }
    return ExportPart("leaderboards", data)
