"""What moderation acts on: check-ins and comments (their state) and who wrote them."""

from __future__ import annotations

from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.errors import NotFound
from core.users import User
from social.checkins.models import CheckIn, Comment, State
from social.checkins.posting import CheckinNotFound, visible_checkin
from social.checkins.reactions import refresh_comment_count
from social.friends.access import is_blocked_between
from social.moderation.models import ModerationAction, Report, ReviewCase, TargetKind


class CommentNotFound(NotFound):
    """No such comment, or not one the caller may see."""

    code = "comment-not-found"
    title = "Comment not found"


async def reportable_author(viewer: User, kind: TargetKind, target_id: int) -> int:
    """The author of content the viewer can see (and so report), or a not-found error."""
    if kind == TargetKind.CHECKIN:
        return (await visible_checkin(viewer, target_id)).author_id
    comment = await Comment.get_or_none(id=target_id)
    if comment is None or comment.state != State.VISIBLE:
        raise CommentNotFound()
    try:
        await visible_checkin(viewer, comment.checkin_id)
    except CheckinNotFound:
        raise CommentNotFound() from None
    if await is_blocked_between(viewer.id, comment.author_id):
        raise CommentNotFound()
    return comment.author_id


async def locked_content(
    conn: BaseDBAsyncClient, kind: TargetKind, target_id: int
) -> CheckIn | Comment:
    """The check-in or comment, locked for a state change."""
    model: type[CheckIn] | type[Comment] = CheckIn if kind == TargetKind.CHECKIN else Comment
    row = await model.filter(id=target_id).using_db(conn).select_for_update().first()
    if row is None:
        raise CheckinNotFound() if kind == TargetKind.CHECKIN else CommentNotFound()
    return row


async def change_state(
    conn: BaseDBAsyncClient, kind: TargetKind, target_id: int, state: State, *, only_from: State
) -> bool:
    """Move content to a new state if it is in `only_from`; True if it moved."""
    model: type[CheckIn] | type[Comment] = CheckIn if kind == TargetKind.CHECKIN else Comment
    moved = await model.filter(id=target_id, state=only_from).using_db(conn).update(state=state)
    if moved and kind == TargetKind.COMMENT:
        comment = await Comment.filter(id=target_id).using_db(conn).get()
        await refresh_comment_count(conn, comment.checkin_id)
    return bool(moved)


async def close_case(
    conn: BaseDBAsyncClient, clock: Clock, kind: TargetKind, target_id: int
) -> None:
    """A moderator has reviewed the target: its case leaves the queue, its reports are settled."""
    now = clock.now()
    await (
        ReviewCase.filter(target_kind=kind, target_id=target_id)
        .using_db(conn)
        .update(is_open=False, closed_at=now, report_count=0)
    )
    await (
        Report.filter(target_kind=kind, target_id=target_id, resolved_at__isnull=True)
        .using_db(conn)
        .update(resolved_at=now)
    )


async def audit(
    conn: BaseDBAsyncClient,
    clock: Clock,
    *,
    moderator_id: int | None,
    action: str,
    kind: TargetKind,
    target_id: int,
    affected_user_id: int,
    reason: str,
    until: datetime | None = None,
) -> ModerationAction:
    """Append one entry to the audit log."""
    return await ModerationAction.create(
        using_db=conn,
        moderator_id=moderator_id,
        action=action,
        target_kind=kind,
        target_id=target_id,
        affected_user_id=affected_user_id,
        reason=reason,
        until=until,
        created_at=clock.now(),
    )
