"""Review cases: how content enters and leaves the moderators' queue.

Check-ins announce flagged and deleted content through their hooks (social/checkins/review.py);
app/wiring.py connects the two reactions below to them.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from social.checkins.review import DeletedContent, FlaggedContent
from social.moderation.models import Report, ReviewCase, TargetKind


async def open_case_for_flagged(conn: BaseDBAsyncClient, flagged: FlaggedContent) -> None:
    """Open a case for new content that an automatic check flagged (banned words, repost)."""
    await ReviewCase.create(
        using_db=conn,
        target_kind=TargetKind(flagged.kind),
        target_id=flagged.target_id,
        author_id=flagged.author_id,
        flags=",".join(flagged.flags),
        opened_at=flagged.at,
    )


async def forget_deleted(conn: BaseDBAsyncClient, deleted: DeletedContent) -> None:
    """Drop the cases and reports of deleted content (the audit log keeps its history)."""
    if not deleted.ids:
        return
    kind, ids = TargetKind(deleted.kind), list(deleted.ids)
    await ReviewCase.filter(target_kind=kind, target_id__in=ids).using_db(conn).delete()
    await Report.filter(target_kind=kind, target_id__in=ids).using_db(conn).delete()
