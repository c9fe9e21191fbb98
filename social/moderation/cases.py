"""Review cases: how content enters and leaves the moderators' queue."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from game.clock import Clock
from social.moderation.models import Report, ReviewCase, TargetKind


async def flag_for_review(
    conn: BaseDBAsyncClient,
    clock: Clock,
    kind: TargetKind,
    target_id: int,
    author_id: int,
    flags: Sequence[str],
) -> None:
    """Open a case for new content that an automatic check flagged (banned words, repost)."""
    await ReviewCase.create(
        using_db=conn,
        target_kind=kind,
        target_id=target_id,
        author_id=author_id,
        flags=",".join(flags),
        opened_at=clock.now(),
    )


async def forget_targets(conn: BaseDBAsyncClient, kind: TargetKind, ids: Sequence[int]) -> None:
    """Drop the cases and reports of deleted content (the audit log keeps its history)."""
    if not ids:
        return
    await ReviewCase.filter(target_kind=kind, target_id__in=list(ids)).using_db(conn).delete()
    await Report.filter(target_kind=kind, target_id__in=list(ids)).using_db(conn).delete()
