"""Check-ins, their photos, likes and comments."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class State(StrEnum):
    """Who can see a check-in or a comment."""

    VISIBLE = "visible"  # everyone allowed to see its author
    HELD = "held"  # caught by the banned-words filter: its author only, until reviewed
    HIDDEN = "hidden"  # hidden by reports or a moderator: nobody but its author and moderators
    REMOVED = "removed"  # taken down by a moderator


class CheckIn(Model):
    """A community post with a topic, text and up to nine photos."""

    id = fields.BigIntField(primary_key=True)
    author: fields.ForeignKeyRelation[User] = player_link("checkins")
    author_id: int
    topic = fields.CharField(max_length=32)
    text = fields.TextField()
    state = fields.CharEnumField(State, max_length=12, default=State.VISIBLE)
    # Why the post was flagged for review when it was made: "banned-words", "repost".
    flags = fields.CharField(max_length=64, default="")
    like_count = fields.IntField(default=0)
    comment_count = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    photos: fields.ReverseRelation[Photo]

    class Meta:
        table = "checkins"
        indexes = (("state", "id"), ("author_id", "state", "id"), ("topic", "state", "id"))


class Photo(Model):
    """One cleaned photo of a check-in, stored as a display JPEG and a thumbnail."""

    id = fields.BigIntField(primary_key=True)
    checkin: fields.ForeignKeyRelation[CheckIn] = fields.ForeignKeyField(
        "models.CheckIn", related_name="photos", on_delete=fields.CASCADE
    )
    checkin_id: int
    # The check-in's author again, so repost checks need no join.
    author_id = fields.IntField(db_index=True)
    position = fields.SmallIntField()
    media_key = fields.CharField(max_length=32, unique=True)
    width = fields.IntField()
    height = fields.IntField()
    thumb_width = fields.IntField()
    thumb_height = fields.IntField()
    dhash = fields.BigIntField(db_index=True)
    # An earlier photo by another account that looks the same (perceptual hash).
    repost_of_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "checkin_photos"


class Like(Model):
    """A player likes a check-in (once)."""

    id = fields.BigIntField(primary_key=True)
    checkin: fields.ForeignKeyRelation[CheckIn] = fields.ForeignKeyField(
        "models.CheckIn", related_name="likes", on_delete=fields.CASCADE
    )
    checkin_id: int
    user: fields.ForeignKeyRelation[User] = player_link("likes")
    user_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "checkin_likes"
        unique_together = (("checkin_id", "user_id"),)


class Comment(Model):
    """A comment on a check-in."""

    id = fields.BigIntField(primary_key=True)
    checkin: fields.ForeignKeyRelation[CheckIn] = fields.ForeignKeyField(
        "models.CheckIn", related_name="comments", on_delete=fields.CASCADE
    )
    checkin_id: int
    author: fields.ForeignKeyRelation[User] = player_link("comments")
    author_id: int
    text = fields.TextField()
    state = fields.CharEnumField(State, max_length=12, default=State.VISIBLE)
    flags = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "checkin_comments"
        indexes = (("checkin_id", "state", "id"),)
