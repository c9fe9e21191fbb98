"""Friends in a player's export; on erasure every friendship, request and block goes, both ways,
so the erased account is in nobody's friend list any more."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from core.privacy import Erasure, ExportPart, ExportRequest
from social.friends.models import Block, FriendRequest, Friendship


async def export_friends(request: ExportRequest) -> ExportPart:
    """My friends, friend requests both ways, and the players I blocked."""
    me = request.user_id
    data = {
        "friends": await Friendship.filter(user_id=me)
        .order_by("id")
        .values("friend_id", "friend__username", "created_at"),
        "requests": await FriendRequest.filter(Q(sender_id=me) | Q(recipient_id=me))
        .order_by("id")
        .values("sender_id", "recipient_id", "status", "created_at", "answered_at"),
        "blocked": await Block.filter(blocker_id=me)
        .order_by("id")
        .values("blocked_id", "created_at"),
    }
    return ExportPart("friends", data)


async def erase_friends(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """Delete every friendship, request and block the erased player is part of."""
    me = erasure.user_id
    await Friendship.filter(Q(user_id=me) | Q(friend_id=me)).using_db(conn).delete()
    await FriendRequest.filter(Q(sender_id=me) | Q(recipient_id=me)).using_db(conn).delete()
    await Block.filter(Q(blocker_id=me) | Q(blocked_id=me)).using_db(conn).delete()
