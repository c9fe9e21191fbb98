"""Likes and comments on check-ins, with live notices to the author (docs/rules.md)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.events import EventSink
from core.paging import keyset_page
from core.settings import Settings
from core.users import User, require_not_suspended
from social.checkins.feed import blocked_either_way, seen_by
from social.checkins.limits import count_activity
from social.checkins.models import CheckIn, Comment, Like, State
from social.checkins.posting import EmptyText, check_text, visible_checkin
from social.checkins.review import FlaggedContent, content_flagged
from social.checkins.words import has_banned_words


@dataclass(frozen=True)
class LikeOutcome:
    """Whether the viewer likes the check-in now, and its like count."""

    checkin_id: int
    liked: bool
    like_count: int
    changed: bool


async def _like_count(checkin_id: int, conn: BaseDBAsyncClient | None = None) -> int:
    counts = cast(
        list[int],
        await CheckIn.filter(id=checkin_id).using_db(conn).values_list("like_count", flat=True),
    )
    return counts[0] if counts else 0


async def like_checkin(
    clock: Clock, events: EventSink, viewer: User, checkin_id: int
) -> LikeOutcome:
    """Like a check-in once; liking again changes nothing."""
    checkin = await visible_checkin(viewer, checkin_id)
    try:
        async with in_transaction() as conn:
            await Like.create(
                using_db=conn, checkin_id=checkin_id, user_id=viewer.id, created_at=clock.now()
            )
            await (
                CheckIn.filter(id=checkin_id).using_db(conn).update(like_count=F("like_count") + 1)
            )
            count = await _like_count(checkin_id, conn)
            if checkin.author_id != viewer.id:
                await events.publish(
                    conn, checkin.author_id, "post.liked",
                    {"checkin_id": checkin_id, "by_user_id": viewer.id,
                     "by_name": viewer.display_name, "like_count": count},
                )  # fmt: skip
    except IntegrityError:
        # The unique (check-in, player) pair: someone (maybe a retry) liked it first.
        return LikeOutcome(checkin_id, True, await _like_count(checkin_id), changed=False)
    return LikeOutcome(checkin_id, True, count, changed=True)


async def unlike_checkin(viewer: User, checkin_id: int) -> LikeOutcome:
    """Take a like back; unliking what one does not like changes nothing."""
    await visible_checkin(viewer, checkin_id)
    async with in_transaction() as conn:
        removed = (
            await Like.filter(checkin_id=checkin_id, user_id=viewer.id).using_db(conn).delete()
        )
        if removed:
            await (
                CheckIn.filter(id=checkin_id).using_db(conn).update(like_count=F("like_count") - 1)
            )
    return LikeOutcome(checkin_id, False, await _like_count(checkin_id), changed=bool(removed))


async def refresh_comment_count(conn: BaseDBAsyncClient, checkin_id: int) -> None:
    """Set a check-in's comment count to its number of visible comments."""
    visible = (
        await Comment.filter(checkin_id=checkin_id, state=State.VISIBLE).using_db(conn).count()
    )
    await CheckIn.filter(id=checkin_id).using_db(conn).update(comment_count=visible)


async def add_comment(
    clock: Clock,
    settings: Settings,
    redis: Redis,
    events: EventSink,
    viewer: User,
    checkin_id: int,
    text: str,
) -> Comment:
    """Comment on a check-in; a comment with banned words is held for review."""
    require_not_suspended(viewer, clock)
    check_text(text, settings.comment_text_max)
    if not text.strip():
        raise EmptyText()
    checkin = await visible_checkin(viewer, checkin_id)
    await count_activity(redis, settings, "comment", viewer.id)
    held = has_banned_words(text)
    async with in_transaction() as conn:
        # Lock the check-in so concurrent comments recount it one after another.
        await CheckIn.filter(id=checkin_id).using_db(conn).select_for_update().first()
        comment = await Comment.create(
            using_db=conn,
            checkin_id=checkin_id,
            author_id=viewer.id,
            text=text,
            state=State.HELD if held else State.VISIBLE,
            flags="banned-words" if held else "",
            created_at=clock.now(),
        )
        if held:
            flagged = FlaggedContent(
                "comment", comment.id, viewer.id, ["banned-words"], clock.now()
            )
            await content_flagged.fire(conn, flagged)
        else:
            await refresh_comment_count(conn, checkin_id)
        if not held and checkin.author_id != viewer.id:
            await events.publish(
                conn, checkin.author_id, "post.commented",
                {"checkin_id": checkin_id, "comment_id": comment.id, "by_user_id": viewer.id,
                 "by_name": viewer.display_name},
            )  # fmt: skip
    return comment


async def comments_page(
    viewer: User, checkin_id: int, after_id: int | None, limit: int
) -> tuple[list[Comment], int | None]:
    """A page of a check-in's comments, oldest first, without blocked players' comments."""
    await visible_checkin(viewer, checkin_id)
    query = Comment.filter(seen_by(viewer.id), checkin_id=checkin_id)
    hidden_authors = await blocked_either_way(viewer.id)
    if hidden_authors:
        query = query.exclude(author_id__in=hidden_authors)
    return await keyset_page(query, after_id, limit, newest_first=False, related=["author"])
