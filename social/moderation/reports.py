"""Reports: players flag content; enough distinct reporters hide it until a moderator looks."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid
from core.events import EventSink
from core.settings import Settings
from core.users import User
from social.checkins.models import State
from social.moderation.models import Report, ReviewCase, TargetKind
from social.moderation.targets import audit, change_state, reportable_author

REASONS = ("spam", "abuse", "harassment", "nudity", "violence", "misinformation", "other")


class AlreadyReported(Conflict):
    """The caller has reported this already."""

    code = "already-reported"
    title = "You have reported this already"


class CannotReportOwn(Invalid):
    """Players do not report their own content."""

    code = "cannot-report-own"
    title = "You cannot report your own content"


@dataclass(frozen=True)
class Complaint:
    """What a player reports and why."""

    kind: TargetKind
    target_id: int
    reason: str
    note: str


@dataclass(frozen=True)
class ReportOutcome:
    """The stored report, and whether it was the one that hid the content."""

    report: Report
    author_id: int
    hid_content: bool


async def _open_case(
    conn: BaseDBAsyncClient, clock: Clock, complaint: Complaint, author_id: int
) -> ReviewCase:
    """The target's case, created or reopened, locked, with its report count refreshed."""
    kind, target_id = complaint.kind, complaint.target_id
    fresh = ReviewCase(target_kind=kind, target_id=target_id, author_id=author_id)
    fresh.opened_at = clock.now()
    await ReviewCase.bulk_create([fresh], ignore_conflicts=True, using_db=conn)
    case = (
        await ReviewCase.filter(target_kind=kind, target_id=target_id)
        .using_db(conn)
        .select_for_update()
        .get()
    )
    if not case.is_open:
        case.is_open, case.opened_at, case.closed_at = True, clock.now(), None
    pending = Report.filter(target_kind=kind, target_id=target_id, resolved_at__isnull=True)
    case.report_count = await pending.using_db(conn).count()
    await case.save(using_db=conn)
    return case


async def file_report(
    clock: Clock, settings: Settings, events: EventSink, reporter: User, complaint: Complaint
) -> ReportOutcome:
    """Report a check-in or comment; at the threshold of distinct reporters it is hidden."""
    author_id = await reportable_author(reporter, complaint.kind, complaint.target_id)
    if author_id == reporter.id:
        raise CannotReportOwn()
    try:
        async with in_transaction() as conn:
            report = await Report.create(
                using_db=conn,
                reporter_id=reporter.id,
                target_kind=complaint.kind,
                target_id=complaint.target_id,
                reason=complaint.reason,
                note=complaint.note,
                created_at=clock.now(),
            )
            case = await _open_case(conn, clock, complaint, author_id)
            hid = case.report_count >= settings.reports_to_hide and await change_state(
                conn, complaint.kind, complaint.target_id, State.HIDDEN, only_from=State.VISIBLE
            )
            if hid:
                reason = f"hidden automatically after {case.report_count} reports"
                await audit(
                    conn, clock, moderator_id=None, action="hide", kind=complaint.kind,
                    target_id=complaint.target_id, affected_user_id=author_id, reason=reason,
                )  # fmt: skip
                await events.publish(
                    conn, author_id, "moderation.action",
                    {"action": "hide", "target_kind": complaint.kind,
                     "target_id": complaint.target_id,
                     "reason": "hidden until a moderator reviews the reports", "until": None},
                )  # fmt: skip
    except IntegrityError:
        raise AlreadyReported() from None
    return ReportOutcome(report=report, author_id=author_id, hid_content=hid)
