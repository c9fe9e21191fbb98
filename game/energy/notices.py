"""Scheduled notices about bubbles: ripe now, expiring soon (docs/rules.md#notices-from-the-worker).

The worker calls `send_bubble_notices` every few seconds. Each call covers the time since the
previous one, recorded in the database, so a notice is neither skipped nor sent twice even with
several workers or after Redis loses everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.db import in_transaction
from core.events import EventSink
from game.energy.models import Bubble, NoticeMark

MARK = "bubble-notices"
# After a long outage, old notices are stale: catch up at most this far back.
MAX_CATCH_UP = timedelta(hours=1)


@dataclass(frozen=True)
class NoticeRun:
    """What one run covered and sent."""

    since: datetime
    until: datetime
    ripe: int
    expiring: int


async def _claim_window(conn: BaseDBAsyncClient, now: datetime) -> datetime | None:
    """Move the mark to `now` and return where it was, or None if another worker has it."""
    mark = await NoticeMark.filter(name=MARK).using_db(conn).select_for_update().first()
    if mark is None:
        # The very first run covers the catch-up window; a racing first run loses here.
        try:
            # A savepoint, so that losing the race leaves the outer transaction usable.
            async with in_transaction() as savepoint:
                await NoticeMark.create(using_db=savepoint, name=MARK, sent_until=now)
        except IntegrityError:
            return None
        return now - MAX_CATCH_UP
    since = max(mark.sent_until, now - MAX_CATCH_UP)
    if since >= now:
        return None
    claimed = (
        await NoticeMark.filter(name=MARK, sent_until=mark.sent_until)
        .using_db(conn)
        .update(sent_until=now)
    )
    return since if claimed else None


async def send_bubble_notices(clock: Clock, events: EventSink, notice: timedelta) -> NoticeRun:
    """Tell owners which bubbles ripened, and which will expire within `notice`, since last run.

    The window is claimed and its events recorded in one transaction: a notice is recorded
    exactly once, or not at all and then by the next run.
    """
    now = clock.now()
    async with in_transaction() as conn:
        since = await _claim_window(conn, now)
        if since is None:
            return NoticeRun(since=now, until=now, ripe=0, expiring=0)
        ripe = await Bubble.filter(
            ripens_at__gt=since, ripens_at__lte=now, remaining__gt=0
        ).using_db(conn)
        expiring = await Bubble.filter(
            expires_at__gt=since + notice, expires_at__lte=now + notice, remaining__gt=0
        ).using_db(conn)
        for bubble in ripe:
            await events.publish(
                conn, bubble.owner_id, "bubble.ripe",
                {"bubble_id": bubble.id, "scenario": bubble.scenario, "grams": bubble.remaining},
            )  # fmt: skip
        for bubble in expiring:
            await events.publish(
                conn, bubble.owner_id, "bubble.expiring",
                {"bubble_id": bubble.id, "grams": bubble.remaining,
                 "expires_at": bubble.expires_at.isoformat()},
            )  # fmt: skip
    return NoticeRun(since=since, until=now, ripe=len(ripe), expiring=len(expiring))
