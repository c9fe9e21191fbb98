"""Friend requests, friendships (one row each way) and blocks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class FriendRequest(Model):
    """An offer of friendship from sender to recipient, pending until answered."""

    id = fields.BigIntField(primary_key=True)
    sender: fields.ForeignKeyRelation[User] = player_link("sent_requests")
    sender_id: int
    recipient: fields.ForeignKeyRelation[User] = player_link("received_requests")
    recipient_id: int
    status = fields.CharField(max_length=12, default="pending")
    created_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "friend_requests"
        unique_together = (("sender_id", "recipient_id"),)
        indexes = (("recipient_id", "status"),)


class Friendship(Model):
    """One direction of a friendship. Every friendship is two rows, a to b and b to a."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = player_link("friendships")
    user_id: int
    friend: fields.ForeignKeyRelation[User] = player_link("befriended_by")
    friend_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "friendships"
        unique_together = (("user_id", "friend_id"),)


class Block(Model):
    """The blocker wants nothing to do with the blocked player, and vice versa."""

    id = fields.BigIntField(primary_key=True)
    blocker: fields.ForeignKeyRelation[User] = player_link("blocks_made")
    blocker_id: int
    blocked: fields.ForeignKeyRelation[User] = player_link("blocked_by")
    blocked_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "blocks"
        unique_together = (("blocker_id", "blocked_id"),)
