"""Goals: what a campaign counts and how much of it completes it (docs/rules.md#goals).

| kind | counts | from |
| --- | --- | --- |
| `count` | credited actions of the scenarios, each of at least `min_quantity` units | actions |
| `grams` | grams of CO2e avoided by actions of the scenarios | actions |
| `streak` | the longest run of days (player's calendar) with such an action | actions |
| `energy` | energy gathered (collect, steal, watering received; or the listed kinds) | the ledger |
| `checkins` | visible check-ins posted under the topic | check-ins |

The scope says who reaches it: each player, a team together, or a region together (a streak is
always a player's own). Scenarios left out mean every scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import Invalid
from game.campaigns.lifecycle.models import Campaign, GoalKind, GoalScope
from game.carbon.catalog import Catalog
from game.energy.ledger import GATHERING_KINDS
from social.checkins.topics import require_topic

ANY = "*"
ACTION_KINDS = frozenset({GoalKind.COUNT, GoalKind.GRAMS, GoalKind.STREAK})
# Largest targets, by kind: counts, grams and days.
MAX_TARGET = {
    GoalKind.COUNT: 1_000_000,
    GoalKind.GRAMS: 10**12,
    GoalKind.STREAK: 366,
    GoalKind.ENERGY: 10**12,
    GoalKind.CHECKINS: 100_000,
}


class InvalidGoal(Invalid):
    """The goal does not fit its kind: a missing topic, a target out of range, a cooperative
    streak, a streak longer than the window."""

    code = "invalid-goal"
    title = "This goal cannot be set"


@dataclass(frozen=True)
class Goal:
    """A campaign's goal, as stored."""

    kind: GoalKind
    scope: GoalScope
    target: int
    scenarios: tuple[str, ...] | None = None
    topic: str | None = None
    ledger_kinds: tuple[str, ...] | None = None
    min_quantity: Decimal = Decimal(1)

    def filter_json(self) -> dict[str, Any]:
        """The goal's filters as stored in `campaigns.goal_filter`."""
        return {
            "scenarios": list(self.scenarios) if self.scenarios is not None else None,
            "topic": self.topic,
            "ledger_kinds": list(self.ledger_kinds) if self.ledger_kinds is not None else None,
            "min_quantity": str(self.min_quantity),
        }

    def triggers(self) -> list[tuple[str, str]]:
        """(source, key) pairs of the moments this goal counts."""
        if self.kind in ACTION_KINDS:
            return [("action", s) for s in self.scenarios or (ANY,)]
        if self.kind == GoalKind.ENERGY:
            return [("energy", k) for k in self.ledger_kinds or (ANY,)]
        return [("checkin", self.topic or ANY)]


def goal_of(campaign: Campaign) -> Goal:
    """The goal a campaign row holds."""
    raw = campaign.goal_filter or {}
    scenarios, kinds = raw.get("scenarios"), raw.get("ledger_kinds")
    return Goal(
        kind=GoalKind(campaign.goal_kind),
        scope=GoalScope(campaign.goal_scope),
        target=int(campaign.goal_target),
        scenarios=tuple(scenarios) if scenarios is not None else None,
        topic=raw.get("topic"),
        ledger_kinds=tuple(kinds) if kinds is not None else None,
        min_quantity=Decimal(str(raw.get("min_quantity", "1"))),
    )


def checked_goal(catalog: Catalog, goal: Goal, starts_at: datetime, ends_at: datetime,
                 tz: ZoneInfo) -> Goal:  # fmt: skip
    """The goal if it fits its kind and the window, with lists sorted and deduplicated."""
    if not 1 <= goal.target <= MAX_TARGET[goal.kind]:
        raise InvalidGoal(f"a {goal.kind} target is 1 to {MAX_TARGET[goal.kind]:,}")
    scenarios = goal.scenarios
    if scenarios is not None:
        if not 1 <= len(scenarios) <= 50:
            raise InvalidGoal("list 1 to 50 scenarios, or none for every scenario")
        scenarios = tuple(sorted({catalog.get(s).code for s in scenarios}))
    kinds = goal.ledger_kinds
    if kinds is not None:
        if not kinds or not set(kinds) <= GATHERING_KINDS:
            raise InvalidGoal(f"energy kinds are among {sorted(GATHERING_KINDS)}")
        kinds = tuple(sorted(set(kinds)))
    if goal.kind == GoalKind.CHECKINS:
        if not goal.topic:
            raise InvalidGoal("a check-in goal needs a topic")
        require_topic(goal.topic)
    if goal.kind == GoalKind.STREAK:
        if goal.scope != GoalScope.INDIVIDUAL:
            raise InvalidGoal("a streak is each player's own: its scope is individual")
        days = (ends_at.astimezone(tz).date() - starts_at.astimezone(tz).date()).days + 1
        if goal.target > days:
            raise InvalidGoal(f"a {goal.target}-day streak does not fit a {days}-day window")
    if not Decimal("0.001") <= goal.min_quantity <= Decimal(1_000_000):
        raise InvalidGoal("min_quantity is 0.001 to 1,000,000 units")
    return Goal(
        kind=goal.kind, scope=goal.scope, target=goal.target,
        scenarios=scenarios if goal.kind in ACTION_KINDS else None,
        topic=goal.topic if goal.kind == GoalKind.CHECKINS else None,
        ledger_kinds=kinds if goal.kind == GoalKind.ENERGY else None,
        min_quantity=goal.min_quantity,
    )  # fmt: skip
