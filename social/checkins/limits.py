"""Per-player posting and commenting limits: fixed windows in Redis keyed by the player's id.

Litestar's RateLimitMiddleware keys its counters by client address (and route), which lumps
together players behind one NAT and lets one player spread over many addresses. The rules to
enforce here are "this player posts at most N times per window", so the counter is keyed by the
user id instead, with the same fixed-window helper the login limits use (app/ratelimit.py).
"""

from __future__ import annotations

from typing import Literal

from redis.asyncio import Redis

from core.errors import Limited
from core.ratelimit import count_hit
from core.settings import Settings

Activity = Literal["checkin", "comment"]


class PostingTooFast(Limited):
    """The player has posted as many check-ins as the window allows."""

    code = "too-many-checkins"
    title = "Too many check-ins, try again later"


class CommentingTooFast(Limited):
    """The player has written as many comments as the window allows."""

    code = "too-many-comments"
    title = "Too many comments, try again later"


async def count_activity(
    redis: Redis, settings: Settings, activity: Activity, user_id: int
) -> None:
    """Count one check-in or comment attempt, refusing it once the window's allowance is used."""
    if activity == "checkin":
        allowed, window = settings.checkins_per_window, settings.checkin_window_seconds
    else:
        allowed, window = settings.comments_per_window, settings.comment_window_seconds
    key = f"{settings.redis_prefix}ratelimit:{activity}:user:{user_id}"
    hit = await count_hit(redis, key, window)
    if hit.count > allowed:
        error = PostingTooFast if activity == "checkin" else CommentingTooFast
        raise error(f"at most {allowed} per {window} s", retry_after=hit.retry_after, limit=allowed)
