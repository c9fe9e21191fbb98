"""What moderators read: the review queue (most reported first, then oldest) and the audit log."""

from __future__ import annotations

import base64
import binascii
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from core.paging import InvalidCursor, keyset_page
from social.checkins.models import CheckIn, Comment, Photo
from social.moderation.models import ModerationAction, Report, ReviewCase, TargetKind


@dataclass(frozen=True)
class QueuePosition:
    """Where a queue page ends: the last case's report count, opening time and id."""

    report_count: int
    opened_at: datetime
    case_id: int


@dataclass(frozen=True)
class QueueItem:
    """An open case with the content it is about and why it was reported."""

    case: ReviewCase
    content: CheckIn | Comment | None
    photos: list[Photo]
    reasons: dict[str, int]


def encode_position(position: QueuePosition | None) -> str | None:
    """An opaque cursor for a queue position."""
    if position is None:
        return None
    text = f"q:{position.report_count}:{position.opened_at.isoformat()}:{position.case_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_position(cursor: str | None) -> QueuePosition | None:
    """The queue position a cursor stands for, or InvalidCursor."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, count, rest = text.split(":", 2)
        opened, _, case_id = rest.rpartition(":")
        if prefix != "q":
            raise ValueError(text)
        return QueuePosition(int(count), datetime.fromisoformat(opened), int(case_id))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidCursor("the cursor is not one this API issued") from None


async def queue_page(
    after: QueuePosition | None, limit: int
) -> tuple[list[QueueItem], QueuePosition | None]:
    """Open cases, most reported first, then oldest first."""
    query = ReviewCase.filter(is_open=True)
    if after is not None:
        c, t, i = after.report_count, after.opened_at, after.case_id
        query = query.filter(
            Q(report_count__lt=c)
            | Q(report_count=c, opened_at__gt=t)
            | Q(report_count=c, opened_at=t, id__gt=i)
        )
    rows = await query.order_by("-report_count", "opened_at", "id").limit(limit + 1)
    rows = list(rows)
    last = rows[limit - 1] if len(rows) > limit else None
    position = QueuePosition(last.report_count, last.opened_at, last.id) if last else None
    return await _items(rows[:limit]), position


async def _items(cases: list[ReviewCase]) -> list[QueueItem]:
    ids = {kind: [c.target_id for c in cases if c.target_kind == kind] for kind in TargetKind}
    checkins = {
        c.id: c
        for c in await CheckIn.filter(id__in=ids[TargetKind.CHECKIN]).select_related("author")
    }
    comments = {
        c.id: c
        for c in await Comment.filter(id__in=ids[TargetKind.COMMENT]).select_related("author")
    }
    photos: dict[int, list[Photo]] = defaultdict(list)
    for photo in await Photo.filter(checkin_id__in=list(checkins)).order_by("position"):
        photos[photo.checkin_id].append(photo)
    reasons: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    pending = Report.filter(
        target_id__in=[c.target_id for c in cases], resolved_at__isnull=True
    ).values_list("target_kind", "target_id", "reason")
    for kind, target_id, reason in await pending:
        reasons[(str(kind), int(target_id))][str(reason)] += 1
    items = []
    for case in cases:
        content: CheckIn | Comment | None = (
            checkins.get(case.target_id)
            if case.target_kind == TargetKind.CHECKIN
            else comments.get(case.target_id)
        )
        shown = photos[case.target_id] if case.target_kind == TargetKind.CHECKIN else []
        counts = dict(reasons[(str(case.target_kind), case.target_id)])
        items.append(QueueItem(case, content, shown, counts))
    return items


async def audit_page(
    before_id: int | None,
    limit: int,
    *,
    kind: TargetKind | None = None,
    target_id: int | None = None,
    user_id: int | None = None,
) -> tuple[list[ModerationAction], int | None]:
    """Audit entries, newest first, optionally for one target or one affected player."""
    query = ModerationAction.all()
    if kind is not None:
        query = query.filter(target_kind=kind)
    if target_id is not None:
        query = query.filter(target_id=target_id)
    if user_id is not None:
        query = query.filter(affected_user_id=user_id)
    related = ["moderator", "affected_user"]
    return await keyset_page(query, before_id, limit, newest_first=True, related=related)
