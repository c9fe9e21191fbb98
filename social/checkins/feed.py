"""Feeds (friends, global, topic) and what a viewer sees of each check-in in them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from tortoise.expressions import Q

from core.errors import Invalid
from social.checkins.models import CheckIn, Like, Photo, State
from social.checkins.topics import require_topic
from social.friends.access import friend_ids
from social.friends.models import Block

Scope = Literal["friends", "global", "topic"]


class TopicRequired(Invalid):
    """The topic feed needs a topic."""

    code = "topic-required"
    title = "Say which topic"


@dataclass(frozen=True)
class CheckinView:
    """A check-in with its photos and whether the viewer likes it."""

    checkin: CheckIn
    photos: list[Photo]
    liked: bool


async def blocked_either_way(user_id: int) -> list[int]:
    """Players the user blocked or who blocked the user."""
    pairs = await Block.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list(
        "blocker_id", "blocked_id"
    )
    return sorted({b if a == user_id else a for a, b in pairs})


def seen_by(viewer_id: int) -> Q:
    """Content a viewer may see in lists: visible, or their own held for review."""
    return Q(state=State.VISIBLE) | Q(state=State.HELD, author_id=viewer_id)


async def feed_page(
    viewer_id: int, scope: Scope, topic: str | None, after_id: int | None, limit: int
) -> tuple[list[CheckinView], int | None]:
    """A page of check-ins, newest first: friends' and mine, everyone's, or one topic's."""
    query = CheckIn.all()
    if scope == "friends":
        query = query.filter(author_id__in=[viewer_id, *await friend_ids(viewer_id)])
    elif scope == "topic":
        if topic is None:
            raise TopicRequired("scope=topic needs topic=<code>")
        query = query.filter(topic=require_topic(topic).code)
    hidden_authors = await blocked_either_way(viewer_id)
    if hidden_authors:
        query = query.exclude(author_id__in=hidden_authors)
    if after_id is not None:
        query = query.filter(id__lt=after_id)
    # Two simple queries instead of one with an OR, so each walks an index in id order
    # (state, id) or (author_id, state, id) and stops after one page, with no sort.
    visible = await query.filter(state=State.VISIBLE).order_by("-id").limit(limit + 1)
    mine_held = (
        await query.filter(state=State.HELD, author_id=viewer_id).order_by("-id").limit(limit + 1)
    )
    rows = sorted([*visible, *mine_held], key=lambda c: c.id, reverse=True)[: limit + 1]
    next_id = rows[limit - 1].id if len(rows) > limit else None
    page = rows[:limit]
    await CheckIn.fetch_for_list(page, "author")
    return await views_of(page, viewer_id), next_id


async def views_of(checkins: Sequence[CheckIn], viewer_id: int) -> list[CheckinView]:
    """Attach photos and the viewer's likes to check-ins, in two queries."""
    ids = [c.id for c in checkins]
    if not ids:
        return []
    photos: dict[int, list[Photo]] = defaultdict(list)
    for photo in await Photo.filter(checkin_id__in=ids).order_by("checkin_id", "position"):
        photos[photo.checkin_id].append(photo)
    liked = set(
        await Like.filter(user_id=viewer_id, checkin_id__in=ids).values_list(
            "checkin_id", flat=True
        )
    )
    return [CheckinView(c, photos[c.id], c.id in liked) for c in checkins]
