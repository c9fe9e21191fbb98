"""Request and response shapes of the account endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

Username = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_]{3,32}$", examples=["ada_walks"])]
Password = Annotated[str, msgspec.Meta(min_length=8, max_length=128)]
Timezone = Annotated[str, msgspec.Meta(min_length=1, max_length=64, examples=["Asia/Shanghai"])]
Region = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{0,32}$", examples=["CN-42"])]


class RegisterIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new player."""

    username: Username
    password: Password
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] | None = None
    timezone: Timezone | None = None
    region: Region = ""


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    """Credentials."""

    username: Annotated[str, msgspec.Meta(min_length=1, max_length=32)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class RefreshIn(msgspec.Struct, forbid_unknown_fields=True):
    """A refresh token to rotate."""

    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class TokensOut(msgspec.Struct):
    """An access token for API calls and a single-use refresh token."""

    access_token: str
    access_expires_at: datetime
    expires_in: int
    refresh_token: str
    refresh_expires_at: datetime
    token_type: str = "Bearer"  # noqa: S105  (the scheme name, not a secret)


class UserOut(msgspec.Struct):
    """A user's own profile."""

    id: int
    username: str
    display_name: str
    role: str
    timezone: str
    region: str
    created_at: datetime


class TicketOut(msgspec.Struct):
    """A single-use pass for the websocket handshake: `/api/v1/ws?ticket=…`."""

    ticket: str
    expires_at: datetime
    expires_in: int
