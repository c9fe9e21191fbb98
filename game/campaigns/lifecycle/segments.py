"""Saved segments: groups of players a campaign's audience can name (docs/rules.md#audiences).

A segment is a region (or every region) and, optionally, "active within N days": at least one
credited action in the N days before the moment it is asked about. For a campaign that moment
is the campaign's start, so membership does not drift while the campaign runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.errors import NotFound
from core.users import Role, User
from game.campaigns.lifecycle.models import Segment
from game.carbon.models import Action


class SegmentNotFound(NotFound):
    """No such segment."""

    code = "segment-not-found"
    title = "Segment not found"


@dataclass(frozen=True)
class NewSegment:
    """What a campaign manager gives to save a segment."""

    name: str
    region: str
    active_within_days: int | None


async def create_segment(clock: Clock, creator_id: int, given: NewSegment) -> Segment:
    """Save a segment."""
    return await Segment.create(
        name=given.name, region=given.region, active_within_days=given.active_within_days,
        created_by_id=creator_id, created_at=clock.now(),
    )  # fmt: skip


async def get_segment(segment_id: int) -> Segment:
    """One segment, or SegmentNotFound."""
    segment = await Segment.get_or_none(id=segment_id)
    if segment is None:
        raise SegmentNotFound(f"no segment {segment_id}")
    return segment


async def list_segments() -> list[Segment]:
    """Every segment, newest first (at most 500)."""
    return list(await Segment.all().order_by("-id").limit(500))


async def in_segment(
    conn: BaseDBAsyncClient | None, segment: Segment, user_id: int, region: str, as_of: datetime
) -> bool:
    """Whether a player is in the segment as of a moment."""
    if segment.region and region != segment.region:
        return False
    if segment.active_within_days is None:
        return True
    since = as_of - timedelta(days=segment.active_within_days)
    active = Action.filter(user_id=user_id, occurred_at__gte=since, occurred_at__lt=as_of)
    return bool(await active.using_db(conn).exists())


async def segment_size(segment: Segment, as_of: datetime) -> int:
    """How many players are in the segment as of a moment."""
    if segment.active_within_days is None:
        players = User.filter(role=Role.PLAYER)
        if segment.region:
            players = players.filter(region=segment.region)
        return int(await players.count())
    since = as_of - timedelta(days=segment.active_within_days)
    active = Action.filter(occurred_at__gte=since, occurred_at__lt=as_of)
    if segment.region:
        active = active.filter(user__region=segment.region, user__role=Role.PLAYER)
    else:
        active = active.filter(user__role=Role.PLAYER)
    return len(set(await active.distinct().values_list("user_id", flat=True)))
