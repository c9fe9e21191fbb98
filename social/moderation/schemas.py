"""Request and response shapes of reports, the moderation queue, actions and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from social.checkins.models import CheckIn, Comment
from social.checkins.schemas import PhotoOut, photo_out
from social.friends.schemas import PlayerOut, player_out
from social.moderation.models import ModerationAction
from social.moderation.queue import QueueItem

TargetId = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Reason = Literal["spam", "abuse", "harassment", "nudity", "violence", "misinformation", "other"]


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    """A report: which check-in or comment, the reason, and an optional note."""

    target_kind: Literal["checkin", "comment"]
    target_id: TargetId
    reason: Reason
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ReportOut(msgspec.Struct):
    """A stored report."""

    id: int
    target_kind: str
    target_id: int
    reason: str
    created_at: datetime


class ActionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A moderator's action; `duration_seconds` only (and always) for suspend."""

    action: Literal["hide", "remove", "restore", "warn", "suspend", "lift"]
    target_kind: Literal["checkin", "comment", "player"]
    target_id: TargetId
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    duration_seconds: Annotated[int, msgspec.Meta(ge=60, le=366 * 86_400)] | None = None


class AuditOut(msgspec.Struct):
    """One audit entry: `moderator` is null when the system acted (auto-hide)."""

    id: int
    moderator: PlayerOut | None
    action: str
    target_kind: str
    target_id: int
    affected_user: PlayerOut
    reason: str
    until: datetime | None
    created_at: datetime


def audit_out(entry: ModerationAction) -> AuditOut:
    """Show an audit entry (moderator and affected user fetched)."""
    return AuditOut(
        id=entry.id,
        moderator=player_out(entry.moderator) if entry.moderator else None,
        action=entry.action,
        target_kind=str(entry.target_kind),
        target_id=entry.target_id,
        affected_user=player_out(entry.affected_user),
        reason=entry.reason,
        until=entry.until,
        created_at=entry.created_at,
    )


class AuditPageOut(msgspec.Struct):
    """A page of the audit log, newest first."""

    items: list[AuditOut]
    next_cursor: str | None


class QueueItemOut(msgspec.Struct):
    """An open case: the content (in its current state), its author, reports and flags."""

    case_id: int
    target_kind: str
    target_id: int
    state: str
    author: PlayerOut | None
    report_count: int
    reasons: dict[str, int]
    flags: list[str]
    opened_at: datetime
    text: str
    topic: str | None
    checkin_id: int | None
    photos: list[PhotoOut]


def queue_item_out(item: QueueItem) -> QueueItemOut:
    """Show a queue item."""
    content, case = item.content, item.case
    checkin_id = content.id if isinstance(content, CheckIn) else None
    if isinstance(content, Comment):
        checkin_id = content.checkin_id
    return QueueItemOut(
        case_id=case.id,
        target_kind=str(case.target_kind),
        target_id=case.target_id,
        state=str(content.state) if content else "deleted",
        author=player_out(content.author) if content else None,
        report_count=case.report_count,
        reasons=item.reasons,
        flags=[f for f in case.flags.split(",") if f],
        opened_at=case.opened_at,
        text=content.text if content else "",
        topic=content.topic if isinstance(content, CheckIn) else None,
        checkin_id=checkin_id,
        photos=[photo_out(p) for p in item.photos],
    )


class QueuePageOut(msgspec.Struct):
    """A page of the queue; pass `next_cursor` as `cursor` for the next."""

    items: list[QueueItemOut]
    next_cursor: str | None
