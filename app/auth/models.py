"""Accounts and login sessions."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    """What a user may do beyond playing."""

    PLAYER = "player"
    MODERATOR = "moderator"
    CAMPAIGN_MANAGER = "campaign_manager"
    ADMIN = "admin"
    PLANTING_PARTNER = "planting_partner"


class User(Model):
    """A person (or a staff member) with a login."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=32, unique=True)
    display_name = fields.CharField(max_length=64)
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(Role, max_length=20, default=Role.PLAYER)
    timezone = fields.CharField(max_length=64)
    region = fields.CharField(max_length=32, default="", db_index=True)
    created_at = fields.DatetimeField()
    # Set by a moderator: until then the player cannot post, comment, steal or water.
    suspended_until = fields.DatetimeField(null=True)

    # Not a column: the login session of the request, set by authentication.
    session_id: str = ""

    class Meta:
        table = "users"


class AuthSession(Model):
    """One login: the family of refresh tokens that rotate from it. Revoking it logs out."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="sessions", on_delete=fields.CASCADE
    )
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
