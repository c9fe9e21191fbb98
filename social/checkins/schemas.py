"""Request and response shapes of the check-in, feed, like and comment endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

from social.checkins.feed import CheckinView
from social.checkins.models import Comment, Photo
from social.checkins.posting import media_names
from social.checkins.reactions import LikeOutcome
from social.checkins.topics import Topic
from social.friends.schemas import PlayerOut, player_out

MEDIA_PATH = "/api/v1/media/"


class CheckinForm(msgspec.Struct, forbid_unknown_fields=True):
    """The multipart form of a new check-in: `topic`, `text`, and `photos` (repeat the part)."""

    topic: Annotated[str, msgspec.Meta(max_length=64)]
    text: Annotated[str, msgspec.Meta(max_length=100_000)] = ""
    photos: list[UploadFile] = []


class TopicOut(msgspec.Struct):
    """A subject check-ins can be about."""

    code: str
    name: str
    description: str


def topic_out(topic: Topic) -> TopicOut:
    """Show a topic."""
    return msgspec.convert(topic, TopicOut, from_attributes=True)


class PhotoOut(msgspec.Struct):
    """A photo of a check-in: the display image and its thumbnail, both JPEG without EXIF."""

    url: str
    thumb_url: str
    width: int
    height: int
    thumb_width: int
    thumb_height: int


def photo_out(photo: Photo) -> PhotoOut:
    """Show a photo with the addresses of its files."""
    display, thumb = media_names(photo.media_key)
    return PhotoOut(
        url=MEDIA_PATH + display,
        thumb_url=MEDIA_PATH + thumb,
        width=photo.width,
        height=photo.height,
        thumb_width=photo.thumb_width,
        thumb_height=photo.thumb_height,
    )


class CheckinOut(msgspec.Struct):
    """A check-in as a viewer sees it; `state` is "visible" except to its author and moderators."""

    id: int
    author: PlayerOut
    topic: str
    text: str
    photos: list[PhotoOut]
    like_count: int
    comment_count: int
    liked_by_me: bool
    state: str
    created_at: datetime


def checkin_out(view: CheckinView) -> CheckinOut:
    """Show a check-in (its author must have been fetched)."""
    c = view.checkin
    return CheckinOut(
        id=c.id,
        author=player_out(c.author),
        topic=c.topic,
        text=c.text,
        photos=[photo_out(p) for p in view.photos],
        like_count=c.like_count,
        comment_count=c.comment_count,
        liked_by_me=view.liked,
        state=str(c.state),
        created_at=c.created_at,
    )


class FeedPageOut(msgspec.Struct):
    """A page of check-ins, newest first; pass `next_cursor` as `cursor` for the next."""

    items: list[CheckinOut]
    next_cursor: str | None


class LikeOut(msgspec.Struct):
    """Whether I like the check-in now, and how many do."""

    checkin_id: int
    liked: bool
    like_count: int


def like_out(outcome: LikeOutcome) -> LikeOut:
    """Show a like outcome."""
    return msgspec.convert(outcome, LikeOut, from_attributes=True)


class CommentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new comment (the length cap is GREENSPARK_COMMENT_TEXT_MAX)."""

    text: Annotated[str, msgspec.Meta(min_length=1, max_length=20_000)]


class CommentOut(msgspec.Struct):
    """A comment; `state` is "held" while a moderator has to review it (seen by its author)."""

    id: int
    checkin_id: int
    author: PlayerOut
    text: str
    state: str
    created_at: datetime


def comment_out(comment: Comment) -> CommentOut:
    """Show a comment (its author must have been fetched)."""
    return CommentOut(
        id=comment.id,
        checkin_id=comment.checkin_id,
        author=player_out(comment.author),
        text=comment.text,
        state=str(comment.state),
        created_at=comment.created_at,
    )


class CommentsPageOut(msgspec.Struct):
    """A page of comments, oldest first."""

    items: list[CommentOut]
    next_cursor: str | None
