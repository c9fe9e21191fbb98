"""Reports, review cases (the moderators' queue) and the audit log of moderators' actions."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class TargetKind(StrEnum):
    """What a report or an action is about."""

    CHECKIN = "checkin"
    COMMENT = "comment"
    PLAYER = "player"


class Report(Model):
    """A player says a check-in or comment breaks the rules. One per reporter and target."""

    id = fields.BigIntField(primary_key=True)
    reporter: fields.ForeignKeyRelation[User] = player_link("reports_made")
    reporter_id: int
    target_kind = fields.CharEnumField(TargetKind, max_length=12)
    target_id = fields.BigIntField()
    reason = fields.CharField(max_length=20)
    note = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField()
    # Set when a moderator acts on the target: later reports count afresh.
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "reports"
        unique_together = (("reporter_id", "target_kind", "target_id"),)
        indexes = (("target_kind", "target_id", "resolved_at"),)


class ReviewCase(Model):
    """One target waiting for (or past) a moderator's review: the queue is the open cases."""

    id = fields.BigIntField(primary_key=True)
    target_kind = fields.CharEnumField(TargetKind, max_length=12)
    target_id = fields.BigIntField()
    author: fields.ForeignKeyRelation[User] = player_link("review_cases")
    author_id: int
    is_open = fields.BooleanField(default=True)
    # Distinct players whose reports are not resolved yet.
    report_count = fields.IntField(default=0)
    flags = fields.CharField(max_length=64, default="")
    opened_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "review_cases"
        unique_together = (("target_kind", "target_id"),)
        indexes = (("is_open", "report_count", "opened_at"),)


class ModerationAction(Model):
    """One entry of the audit log: who did what to which target, and why."""

    id = fields.BigIntField(primary_key=True)
    # None when the system acted by itself (auto-hide after enough reports).
    moderator: fields.ForeignKeyNullableRelation[User] = player_link(
        "moderation_actions", null=True, on_delete=fields.SET_NULL
    )
    moderator_id: int | None
    action = fields.CharField(max_length=12)
    target_kind = fields.CharEnumField(TargetKind, max_length=12)
    target_id = fields.BigIntField()
    affected_user: fields.ForeignKeyRelation[User] = player_link("moderation_received")
    affected_user_id: int
    reason = fields.CharField(max_length=500)
    until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "moderation_audit"
        indexes = (("target_kind", "target_id"), ("affected_user_id", "id"))
