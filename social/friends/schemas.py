"""Request and response shapes of the friends endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.users import User
from social.friends.models import FriendRequest


class PlayerOut(msgspec.Struct):
    """What other players may see of a player."""

    id: int
    username: str
    display_name: str
    region: str


def player_out(user: User) -> PlayerOut:
    """Show a player to others."""
    return msgspec.convert(user, PlayerOut, from_attributes=True)


class FriendRequestIn(msgspec.Struct, forbid_unknown_fields=True):
    """Whom to ask: by id or by username (exactly one)."""

    user_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)] | None = None
    username: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_]{3,32}$")] | None = None


class FriendRequestOut(msgspec.Struct):
    """A friend request and where it stands."""

    id: int
    sender: PlayerOut
    recipient: PlayerOut
    status: str
    created_at: datetime
    answered_at: datetime | None


def request_out(request: FriendRequest, sender: User, recipient: User) -> FriendRequestOut:
    """Show a friend request."""
    return FriendRequestOut(
        id=request.id,
        sender=player_out(sender),
        recipient=player_out(recipient),
        status=request.status,
        created_at=request.created_at,
        answered_at=request.answered_at,
    )


class SentRequestOut(msgspec.Struct):
    """The outcome of asking: a pending request, or a friendship if they had asked too."""

    request: FriendRequestOut
    became_friends: bool


class FriendsPageOut(msgspec.Struct):
    """A page of friends; pass `next_cursor` as `cursor` for the next."""

    items: list[PlayerOut]
    next_cursor: str | None


class SuggestionOut(msgspec.Struct):
    """A player I might befriend: `reason` is `mutual_friends` or `same_region`."""

    player: PlayerOut
    reason: str
    mutual_friends: int
