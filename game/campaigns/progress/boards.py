"""Campaign boards: players, teams and regions ranked on Redis sorted sets (the general `Board`).

Keys share the campaign's hash tag, `{prefix}lb:{campaign:<id>}:players|teams|regions`, so a
campaign's boards sit in one Redis Cluster slot. The database is the record: participants'
progress and the team and region totals. Writes are absolute (ZADD GT of the value read in the
transaction), so a lost or reordered write is repaired by the next one, and a board whose
marker key is missing (a flushed or restarted Redis) is rebuilt from the database by the first
read. See docs/campaigns.md#boards.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from tortoise.expressions import Q

from game.campaigns.lifecycle.models import Campaign, Stage
from game.campaigns.lifecycle.windows import MAX_SPAN
from game.campaigns.progress.models import GroupTotal, Participant
from game.leaderboards.boards import Board, BoardPage, Write, read_around, read_page, write_scores
from game.leaderboards.names import NameCache

log = structlog.get_logger("greenspark.campaigns")

Which = Literal["players", "teams", "regions"]
REBUILD_BATCH = 5_000
# Reached-at times are packed for twice the longest window: late reports and extensions fit.
PACKED_SPAN = 2 * MAX_SPAN


@dataclass(frozen=True)
class CampaignBoards:
    """Where campaign boards live."""

    redis: Redis
    prefix: str
    grace: timedelta
    names: NameCache = field(default_factory=NameCache)

    def key(self, campaign_id: int, which: Which) -> str:
        """A board's key; the braces are the campaign's Redis Cluster hash tag."""
        return f"{self.prefix}lb:{{campaign:{campaign_id}}}:{which}"

    def marker(self, campaign_id: int) -> str:
        """Set once the campaign's boards are complete; gone when Redis lost them."""
        return f"{self.prefix}lb:{{campaign:{campaign_id}}}:built"

    def board(self, campaign: Campaign, which: Which) -> Board:
        """A campaign board: ties go to who reached the score first."""
        expires = campaign.settled_at + self.grace if campaign.settled_at else None
        return Board.spanning(
            self.key(campaign.id, which), campaign.starts_at,
            campaign.starts_at + PACKED_SPAN, expires,
        )  # fmt: skip


@dataclass(frozen=True)
class Score:
    """An absolute score on one of a campaign's boards."""

    which: Which
    member: str
    score: int
    reached_at: datetime


def _writes(boards: CampaignBoards, scores: Iterable[tuple[Campaign, Score]]) -> list[Write]:
    return [
        Write(boards.board(c, s.which), s.member, s.score, math.floor(s.reached_at.timestamp()))
        for c, s in scores
        if s.score > 0
    ]


async def write_campaign_scores(
    boards: CampaignBoards, scores: Iterable[tuple[Campaign, Score]], now: datetime
) -> None:
    """Put absolute scores on campaign boards in one round trip; a Redis failure is logged
    (the boards are rebuilt from the database)."""
    try:
        await write_scores(boards.redis, _writes(boards, scores), now)
    except RedisError as exc:
        log.warning("campaign board update failed; a rebuild will repair it", error=str(exc))


async def rebuild_campaign_boards(
    boards: CampaignBoards, campaign: Campaign, now: datetime, *, reset: bool = False
) -> int:
    """Rebuild a campaign's boards from the database; returns how many scores it wrote.

    Scores only grow, so by default the database's values are merged in (ZADD GT). `reset`
    first drops the keys, for a board someone may have tampered with: a reader meanwhile finds
    the marker gone and rebuilds too, and live writes are absolute, so nothing is lost.
    """
    if reset:
        keys = [boards.marker(campaign.id)]
        keys += [boards.key(campaign.id, w) for w in ("players", "teams", "regions")]
        await boards.redis.delete(*keys)
    written, last = 0, 0
    while True:
        rows = list(
            await Participant.filter(campaign_id=campaign.id, progress__gt=0, id__gt=last)
            .order_by("id")
            .limit(REBUILD_BATCH)
        )
        if not rows:
            break
        last = rows[-1].id
        scores = [
            (
                campaign,
                Score("players", str(p.user_id), p.progress, p.progress_at or campaign.starts_at),
            )
            for p in rows
        ]
        await write_scores(boards.redis, _writes(boards, scores), now)
        written += len(scores)
    groups = await GroupTotal.filter(campaign_id=campaign.id, total__gt=0)
    scores = [
        (campaign, Score("teams" if g.kind == "team" else "regions", g.key, g.total,
                         g.reached_at or campaign.starts_at))
        for g in groups
    ]  # fmt: skip
    await write_scores(boards.redis, _writes(boards, scores), now)
    marker = boards.marker(campaign.id)
    expires = boards.board(campaign, "players").expires_at
    await boards.redis.set(marker, now.isoformat())
    if expires is not None:
        await boards.redis.expire(marker, max(1, expires - math.floor(now.timestamp())))
    return written + len(scores)


async def read_campaign_board(
    boards: CampaignBoards,
    campaign: Campaign,
    which: Which,
    me: str,
    offset: int,
    limit: int,
    around_me: bool,
    now: datetime,
) -> BoardPage:
    """A page of one of a campaign's boards (or a window around `me`), rebuilt first if lost."""
    board, marker = boards.board(campaign, which), boards.marker(campaign.id)
    for _ in range(2):
        if around_me:
            page, built = await read_around(boards.redis, board, me, limit, marker)
        else:
            page, built = await read_page(boards.redis, board, me, offset, limit, marker)
        if built:
            return page
        await rebuild_campaign_boards(boards, campaign, now)
    return page


async def expire_campaign_boards(boards: CampaignBoards, campaign: Campaign, now: datetime) -> None:
    """After settlement, let the boards go once the grace has passed (they can be rebuilt)."""
    expires = boards.board(campaign, "players").expires_at
    if expires is None:
        return
    seconds = max(1, expires - math.floor(now.timestamp()))
    try:
        pipe = boards.redis.pipeline(transaction=False)
        for which in ("players", "teams", "regions"):
            pipe.expire(boards.key(campaign.id, which), seconds)
        pipe.expire(boards.marker(campaign.id), seconds)
        await pipe.execute()
    except RedisError as exc:
        log.warning("campaign board expiry failed", error=str(exc))


async def rebuild_live_campaign_boards(boards: CampaignBoards, now: datetime) -> int:
    """Rebuild the boards of every published campaign and those settled within the grace."""
    recent = now - boards.grace
    campaigns = await Campaign.filter(
        Q(stage=Stage.PUBLISHED) | Q(stage=Stage.SETTLED, settled_at__gt=recent)
    ).order_by("id")
    for campaign in campaigns:
        await rebuild_campaign_boards(boards, campaign, now, reset=True)
    return len(campaigns)
