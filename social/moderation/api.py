"""HTTP endpoints for reports (players) and the moderators' queue, actions and audit log."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter

from core.clock import Clock
from core.events import EventSink
from core.guards import requires_role
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit
from core.settings import Settings
from core.users import Role, User
from social.moderation.actions import Order, take_action
from social.moderation.models import TargetKind
from social.moderation.queue import audit_page, decode_position, encode_position, queue_page
from social.moderation.reports import Complaint, file_report
from social.moderation.schemas import (
    ActionIn,
    AuditOut,
    AuditPageOut,
    QueuePageOut,
    ReportIn,
    ReportOut,
    audit_out,
    queue_item_out,
)

MODERATORS = [requires_role(Role.MODERATOR)]


class ModerationController(Controller):
    """Players report content; moderators work the queue, act, and read the audit log."""

    tags = ["moderation"]

    @post("/api/v1/reports", summary="Report a check-in or comment")
    async def report(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[ReportIn],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
        events: NamedDependency[EventSink],
    ) -> ReportOut:
        """Report content I can see; enough distinct reporters hide it until reviewed."""
        complaint = Complaint(
            kind=TargetKind(data.target_kind),
            target_id=data.target_id,
            reason=data.reason,
            note=data.note,
        )
        outcome = await file_report(clock, settings, events, request.user, complaint)
        report = outcome.report
        return ReportOut(
            id=report.id,
            target_kind=str(report.target_kind),
            target_id=report.target_id,
            reason=report.reason,
            created_at=report.created_at,
        )

    @get("/api/v1/moderation/queue", guards=MODERATORS, summary="Content waiting for review")
    async def queue(self, cursor: Cursor = None, limit: Limit = 20) -> QueuePageOut:
        """Open cases, most reported first, then oldest first."""
        items, position = await queue_page(decode_position(cursor), limit)
        return QueuePageOut(
            items=[queue_item_out(i) for i in items], next_cursor=encode_position(position)
        )

    @post("/api/v1/moderation/actions", guards=MODERATORS, summary="Act on content or a player")
    async def act(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[ActionIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
    ) -> AuditOut:
        """Hide, remove or restore content; warn, suspend or lift a player. Audited."""
        order = Order(
            action=data.action,
            kind=TargetKind(data.target_kind),
            target_id=data.target_id,
            reason=data.reason,
            duration_seconds=data.duration_seconds,
        )
        entry = await take_action(clock, events, request.user, order)
        await entry.fetch_related("moderator", "affected_user")
        return audit_out(entry)

    @get("/api/v1/moderation/audit", guards=MODERATORS, summary="Who did what, and why")
    async def audit(
        self,
        target_kind: Annotated[Literal["checkin", "comment", "player"] | None, Parameter()] = None,
        target_id: Annotated[int | None, Parameter(ge=1, le=2**63 - 1)] = None,
        user_id: Annotated[int | None, Parameter(ge=1, le=2**63 - 1)] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> AuditPageOut:
        """The audit log, newest first; filter by target or by affected player."""
        kind = TargetKind(target_kind) if target_kind else None
        rows, next_id = await audit_page(
            decode_cursor(cursor), limit, kind=kind, target_id=target_id, user_id=user_id
        )
        return AuditPageOut(items=[audit_out(r) for r in rows], next_cursor=encode_cursor(next_id))
