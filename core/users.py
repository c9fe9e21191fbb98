"""Suspensions: a suspended player cannot post, comment, steal or water until it ends."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import fields
from tortoise.fields.base import OnDelete
from tortoise.models import Model

from core.clock import Clock
from core.errors import Forbidden
from core.hooks import Hook
from core.settings import Settings

# Fired in the transaction that changes what a signed-in player may do (a suspension, its
# lifting): the sessions remembered for that player are forgotten after the commit
# (app/auth/cache.py, connected in app/domains.py).
player_changed: Hook[int] = Hook("player.changed")


class AccountSuspended(Forbidden):
    """A moderator suspended this account for a while."""

    code = "account-suspended"
    title = "Your account is suspended"


def require_not_suspended(user: User, clock: Clock) -> None:
    """Refuse with AccountSuspended while the player's suspension lasts."""
    until = user.suspended_until
    if until is not None and until > clock.now():
        raise AccountSuspended(
            f"suspended until {until.isoformat()}", suspended_until=until.isoformat()
        )


class Role(StrEnum):
    """What a user may do beyond playing."""

    PLAYER = "player"
    MODERATOR = "moderator"
    CAMPAIGN_MANAGER = "campaign_manager"
    ADMIN = "admin"
    PLANTING_PARTNER = "planting_partner"
    MERCHANT = "merchant"


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
    # The last login or token refresh: "active recently" for friend suggestions.
    last_seen_at = fields.DatetimeField(null=True)

    # Not a column: the login session of the request, set by authentication.
    session_id: str = ""

    class Meta:
        table = "users"


def player_timezone(user: User, settings: Settings) -> ZoneInfo:
    """The player's own time zone, or the default one."""
    return ZoneInfo(user.timezone) if user.timezone else settings.tz


def player_link(
    related_name: str, *, null: bool = False, on_delete: OnDelete = fields.CASCADE
) -> Any:
    """A foreign key to a user: the relation every domain's rows keep to their player.

    Typed `Any` because Tortoise types the field by whether it is nullable (overloads on a
    literal); the attribute's own annotation in each model says which it is.
    """
    options: dict[str, Any] = {"related_name": related_name, "null": null, "on_delete": on_delete}
    return fields.ForeignKeyField("models.User", **options)
