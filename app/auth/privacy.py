"""The auth domain's part in privacy: sessions exported, revoked on deletion, erased at the end."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from app.auth.cache import EVERY_SESSION_ENDED, SESSIONS
from app.auth.models import AuthSession, RefreshToken
from core.privacy import DeletionRequest, Erasure, ExportPart, ExportRequest


async def export_sessions(request: ExportRequest) -> ExportPart:
    """My login sessions (never a token or its hash)."""
    sessions = (
        await AuthSession.filter(user_id=request.user_id)
        .order_by("created_at")
        .values("id", "created_at", "expires_at", "revoked_at", "revoked_reason")
    )
    return ExportPart("sessions", [{**s, "id": str(s["id"])} for s in sessions])


async def end_every_session(conn: BaseDBAsyncClient, request: DeletionRequest) -> None:
    """A player who asked to delete their account is logged out everywhere at once."""
    await (
        AuthSession.filter(user_id=request.user_id, revoked_at__isnull=True)
        .using_db(conn)
        .update(revoked_at=request.at, revoked_reason="account-deletion")
    )
    await SESSIONS.forget_everywhere(EVERY_SESSION_ENDED, str(request.user_id))


async def erase_sessions(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Forget every session and refresh token of an erased account."""
    sessions = AuthSession.filter(user_id=erasure.user_id).using_db(conn)
    ids = await sessions.values_list("id", flat=True)
    await RefreshToken.filter(session_id__in=list(ids)).using_db(conn).delete()
    await AuthSession.filter(user_id=erasure.user_id).using_db(conn).delete()
    await SESSIONS.forget_everywhere(EVERY_SESSION_ENDED, str(erasure.user_id))
