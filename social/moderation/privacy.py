"""Moderation in a player's export: the reports I filed and the actions taken about me. On
erasure the notes I wrote in reports are blanked; the audit log keeps its history (who acted on
which account, and why) under the pseudonymised account."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest
from social.moderation.models import ModerationAction, Report


async def export_moderation(request: ExportRequest) -> ExportPart:
    """Reports I filed and moderation actions that concern me (not who took them)."""
    me = request.user_id
    data = {
        "reports_filed": await Report.filter(reporter_id=me)
        .order_by("id")
        .values("target_kind", "target_id", "reason", "note", "created_at", "resolved_at"),
        "actions_about_me": await ModerationAction.filter(affected_user_id=me)
        .order_by("id")
        .values("action", "target_kind", "target_id", "reason", "until", "created_at"),
    }
    return ExportPart("moderation", data)


async def erase_moderation(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Blank the free text the erased player wrote in their reports."""
    await Report.filter(reporter_id=erasure.user_id).using_db(conn).update(note="")
