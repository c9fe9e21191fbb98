"""Weekly results: when a week ends on a player's calendar, their rank among friends and duel.

The worker's job (`record_weekly_results`) finds, for each time zone, the players whose last
week has ended there and who have no result for it yet, reads everyone's gathered energy for
that week from the ledger (the record of truth: a flushed Redis changes nothing), and writes one
row per player and week with a `weekly.results` event, in one transaction. The unique row makes
the job idempotent per player and week, whatever runs twice. Rules: docs/rules.md#weekly-results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.functions import Max, Sum

from core.clock import Clock
from core.db import in_transaction
from core.events import EventSink
from core.users import Role, User
from game.energy.ledger import GATHERING_KINDS
from game.energy.models import LedgerEntry
from game.leaderboards.models import WeeklyResult
from game.leaderboards.periods import label_of, local_bounds
from social.friends.models import Friendship

BATCH = 500
# (grams, epoch second of the last gain); no gain sorts after every gain.
Total = tuple[int, float]
NO_GAIN: Total = (0, float("inf"))


@dataclass(frozen=True)
class Week:
    """A finished week on one calendar: its label and its local bounds, in UTC."""

    label: str
    starts_at: datetime
    ends_at: datetime


def finished_week(now: datetime, tz: ZoneInfo) -> Week:
    """The last week that has ended on this calendar by `now`."""
    current_start, _ = local_bounds("week", label_of("week", now, tz), tz)
    label = label_of("week", current_start - timedelta(seconds=1), tz)
    start, end = local_bounds("week", label, tz)
    return Week(label, start, end)


async def _due(tz_name: str, week: Week, after: int, batch: int) -> list[int]:
    """Players on this calendar with friends, there before the week ended, not yet recorded."""
    rows = (
        await User.filter(
            timezone=tz_name,
            role=Role.PLAYER,
            created_at__lt=week.ends_at,
            id__gt=after,
            id__in=Subquery(Friendship.all().values("user_id")),
        )
        .exclude(id__in=Subquery(WeeklyResult.filter(week=week.label).values("user_id")))
        .order_by("id")
        .limit(batch)
        .values_list("id", flat=True)
    )
    return [int(r) for r in cast(list[int], rows)]


async def week_totals(
    label: str, user_ids: Iterable[int], default_tz: ZoneInfo
) -> dict[int, Total]:
    """Each player's gathered grams in week `label` on their own calendar, from the ledger."""
    ids = sorted(set(user_ids))
    zones = cast(list[tuple[int, str]], await User.filter(id__in=ids).values_list("id", "timezone"))
    by_zone: dict[str, list[int]] = {}
    for user_id, tz_name in zones:
        by_zone.setdefault(tz_name, []).append(int(user_id))
    totals = dict.fromkeys(ids, NO_GAIN)
    for tz_name, members in by_zone.items():
        start, end = local_bounds("week", label, ZoneInfo(tz_name) if tz_name else default_tz)
        rows = await (
            LedgerEntry.filter(
                user_id__in=members,
                kind__in=list(GATHERING_KINDS),
                created_at__gte=start,
                created_at__lt=end,
            )
            .annotate(grams=Sum("delta"), last=Max("created_at"))
            .group_by("user_id")
            .values_list("user_id", "grams", "last")
        )
        for user_id, grams, last in cast(list[tuple[int, int, Any]], rows):
            moment = datetime.fromisoformat(last) if isinstance(last, str) else last
            if int(grams or 0) > 0:
                totals[int(user_id)] = (int(grams), moment.timestamp())
    return totals


@dataclass(frozen=True)
class Standing:
    """A player's place in their group of friends for one week."""

    rank: int
    players: int
    grams: int
    rival_id: int | None
    rival_grams: int | None
    outcome: str


def standing_of(player_id: int, members: Sequence[int], totals: dict[int, Total]) -> Standing:
    """Rank by grams, ties to who got there first, then by id; the rival is the next one up.

    The first's rival is the second (whom they beat); anyone else's is the one just above them.
    """
    ranked = sorted(members, key=lambda m: (-totals[m][0], totals[m][1], m))
    place = ranked.index(player_id)
    mine = totals[player_id][0]
    if len(ranked) == 1:
        return Standing(1, 1, mine, None, None, "alone")
    rival = ranked[place - 1] if place > 0 else ranked[1]
    theirs = totals[rival][0]
    outcome = "tied" if theirs == mine else ("lost" if place > 0 else "won")
    return Standing(place + 1, len(ranked), mine, rival, theirs, outcome)


async def _record(events: EventSink, clock: Clock, player_id: int, week: Week, s: Standing) -> bool:
    """Write one player's result and its event; False when it was recorded already."""
    try:
        async with in_transaction() as conn:
            await WeeklyResult.create(
                using_db=conn, user_id=player_id, week=week.label, starts_at=week.starts_at,
                ends_at=week.ends_at, grams=s.grams, rank=s.rank, players=s.players,
                rival_id=s.rival_id, rival_grams=s.rival_grams, outcome=s.outcome,
                created_at=clock.now(),
            )  # fmt: skip
            if s.grams > 0 or (s.rival_grams or 0) > 0:
                await events.publish(
                    conn, player_id, "weekly.results",
                    {"week": week.label, "rank": s.rank, "players": s.players,
                     "grams": s.grams, "rival_id": s.rival_id, "rival_grams": s.rival_grams,
                     "outcome": s.outcome},
                )  # fmt: skip
    except IntegrityError:
        return False
    return True


async def record_weekly_results(
    clock: Clock, events: EventSink, default_tz: ZoneInfo, batch: int = BATCH
) -> int:
    """Record every finished week not recorded yet; returns how many results were written."""
    now, written = clock.now(), 0
    zones = await User.filter(role=Role.PLAYER).distinct().values_list("timezone", flat=True)
    for tz_name in sorted({str(z) for z in cast(list[str], zones)}):
        week = finished_week(now, ZoneInfo(tz_name) if tz_name else default_tz)
        cache: dict[int, Total] = {}
        after = 0
        while due := await _due(tz_name, week, after, batch):
            after = due[-1]
            pairs = cast(
                list[tuple[int, int]],
                await Friendship.filter(user_id__in=due).values_list("user_id", "friend_id"),
            )
            groups: dict[int, list[int]] = {p: [p] for p in due}
            for user_id, friend_id in pairs:
                groups[int(user_id)].append(int(friend_id))
            missing = {m for g in groups.values() for m in g} - cache.keys()
            cache.update(await week_totals(week.label, missing, default_tz))
            for player_id, members in groups.items():
                standing = standing_of(player_id, members, cache)
                written += await _record(events, clock, player_id, week, standing)
            if len(due) < batch:
                break
    return written


async def weekly_results_page(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[WeeklyResult], dict[int, tuple[str, str]], int | None]:
    """A page of a player's finished weeks, newest first, with their rivals' names."""
    query = WeeklyResult.filter(user_id=user_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = await query.order_by("-id").limit(limit + 1)
    next_id = rows[limit - 1].id if len(rows) > limit else None
    rivals = {r.rival_id for r in rows[:limit] if r.rival_id is not None}
    named = await User.filter(id__in=list(rivals)).values_list("id", "username", "display_name")
    names = {int(i): (str(u), str(d)) for i, u, d in cast(list[tuple[int, str, str]], named)}
    return rows[:limit], names, next_id
