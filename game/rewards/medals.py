"""Monthly medals: tiers of the grams a player avoided in a month of their own calendar.

The medals and their tier thresholds are data (`assets/medals.json`). Each credited action
re-reads the month's grams of its player (the month of the action's local date), and every
tier reached and not yet held is awarded, once, as a grant of kind `medal`. The player's
energy account is locked first, so two actions of one player are counted one after the other
and a threshold crossed by both together is never missed. See docs/rules.md#monthly-medals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import cast

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Sum

from core.assets import ASSETS
from core.clock import Clock
from core.events import EventSink
from game.carbon.actions import ActionCredited
from game.carbon.models import Action
from game.energy.ledger import lock_account
from game.rewards.grants import GrantRequest, MedalRef, RewardSpec, grant_reward
from game.rewards.models import MedalAward

MEDALS_FILE = ASSETS / "medals.json"


@dataclass(frozen=True)
class Tier:
    """A tier of a medal and the month's grams that earn it."""

    tier: str
    grams: int


@dataclass(frozen=True)
class MonthlyMedal:
    """A medal earned afresh each month; `scenarios` None counts every scenario."""

    code: str
    name: str
    scenarios: frozenset[str] | None
    tiers: tuple[Tier, ...]


@lru_cache(maxsize=1)
def load_medals() -> tuple[MonthlyMedal, ...]:
    """The monthly medals of `assets/medals.json`, tiers in ascending order."""
    raw = orjson.loads(MEDALS_FILE.read_bytes())
    return tuple(
        MonthlyMedal(
            code=m["code"],
            name=m["name"],
            scenarios=frozenset(m["scenarios"]) if m.get("scenarios") else None,
            tiers=tuple(
                sorted(
                    (Tier(t["tier"], int(t["grams"])) for t in m["tiers"]), key=lambda t: t.grams
                )
            ),
        )
        for m in raw["medals"]
    )


def month_label(day: date) -> str:
    """The label of the month a local date is in, e.g. 2026-11."""
    return f"{day.year:04d}-{day.month:02d}"


def _month_bounds(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start, end


async def month_grams(
    user_id: int, day: date, scenarios: frozenset[str] | None, conn: BaseDBAsyncClient | None = None
) -> int:
    """Grams a player avoided in the month of `day` (their own calendar), from credited actions."""
    start, end = _month_bounds(day)
    query = Action.filter(user_id=user_id, local_date__gte=start, local_date__lt=end)
    if scenarios is not None:
        query = query.filter(scenario__in=sorted(scenarios))
    rows = await query.using_db(conn).annotate(total=Sum("grams")).values_list("total", flat=True)
    return int(cast(list[int | None], rows)[0] or 0) if rows else 0


async def award_monthly_medals(
    conn: BaseDBAsyncClient, clock: Clock, events: EventSink, credited: ActionCredited
) -> None:
    """React to a credited action: award the month's tiers its player has now reached."""
    medals = [m for m in load_medals() if m.scenarios is None or credited.scenario in m.scenarios]
    if credited.grams <= 0 or not medals:
        return
    await lock_account(conn, credited.user_id)
    label = month_label(credited.local_date)
    for medal in medals:
        grams = await month_grams(credited.user_id, credited.local_date, medal.scenarios, conn)
        reached = [t for t in medal.tiers if t.grams <= grams]
        if not reached:
            continue
        tiers = await (
            MedalAward.filter(user_id=credited.user_id, code=medal.code, label=label)
            .using_db(conn)
            .values_list("tier", flat=True)
        )
        held = set(cast(list[str], tiers))
        for tier in reached:
            if tier.tier in held:
                continue
            ref = MedalRef(medal.code, medal.name, label, tier.tier, grams)
            request = GrantRequest(
                key=f"medal:{medal.code}:{label}:{tier.tier}:{credited.user_id}",
                user_id=credited.user_id, source="medal", spec=RewardSpec(kind="medal"),
                medal=ref, reason=f"{medal.name} {tier.tier} {label}",
            )  # fmt: skip
            await grant_reward(conn, clock, events, request)


@dataclass(frozen=True)
class MedalProgress:
    """A monthly medal this month: the grams so far and the tiers held."""

    medal: MonthlyMedal
    label: str
    grams: int
    held: dict[str, MedalAward]


async def my_medals(user_id: int, today: date) -> tuple[list[MedalProgress], list[MedalAward]]:
    """This month's progress on each monthly medal, and every medal held, newest first."""
    label = month_label(today)
    awards = list(await MedalAward.filter(user_id=user_id).order_by("-id").limit(500))
    progress = []
    for medal in load_medals():
        held = {a.tier: a for a in awards if a.code == medal.code and a.label == label}
        grams = await month_grams(user_id, today, medal.scenarios)
        progress.append(MedalProgress(medal, label, grams, held))
    return progress, awards
