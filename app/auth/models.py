"""Accounts and login sessions."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from core.users import User, player_link


class AuthSession(Model):
    """One login: the family of refresh tokens that rotate from it. Revoking it logs out."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = player_link("sessions")
    user_id: int
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    revoked_reason = fields.CharField(max_length=32, default="")

    class Meta:
        table = "auth_sessions"


class RefreshToken(Model):
    """A single-use refresh token, stored only as its SHA-256 hash."""

    id = fields.BigIntField(primary_key=True)
    session: fields.ForeignKeyRelation[AuthSession] = fields.ForeignKeyField(
        "models.AuthSession", related_name="tokens", on_delete=fields.CASCADE
    )
    session_id: str
    token_hash = fields.CharField(max_length=64, unique=True)
    issued_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "refresh_tokens"
