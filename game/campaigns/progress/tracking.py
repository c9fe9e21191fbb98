"""Live progress: campaigns count what already happens, as it happens (docs/rules.md#progress).

The carbon, energy and check-in domains announce their moments with hooks fired inside their
own transactions; `app/domains.py` connects a `Tracker`'s methods to them. For each moment the
tracker finds the campaigns that count it, enrols the player where the audience allows, and in
that same transaction writes one contribution per campaign (unique per campaign and moment,
so a moment never counts twice), raises the player's progress and their team's and region's
totals, marks goals reached, grants individual rewards and records the events. Board scores go
to Redis once the transaction has committed.

Locks are taken in one order everywhere: the player's energy account, their participant rows
and group totals in campaign order, then budget pools in pool order. So concurrent moments
queue instead of deadlocking, and every total is exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q

from core.clock import Clock
from core.db import run_after_commit
from core.events import EventSink
from game.campaigns.lifecycle.goals import Goal, goal_of
from game.campaigns.lifecycle.models import Campaign, CampaignReward, GoalKind, GoalScope
from game.campaigns.progress.boards import CampaignBoards, Score, Which, write_campaign_scores
from game.campaigns.progress.completion import grant_in_pool_order
from game.campaigns.progress.counting import Moment, amount_for, longest_run, matching_campaigns
from game.campaigns.progress.enrolment import enrol
from game.campaigns.progress.models import Contribution, GroupTotal, Participant
from game.campaigns.teams.membership import current_team
from game.carbon.actions import ActionCredited
from game.energy.ledger import lock_account
from game.energy.models import LedgerEntry
from social.checkins.moments import CheckinPosted


@dataclass
class Counted:
    """One campaign a moment counted for: the participant before, and what changed."""

    campaign: Campaign
    goal: Goal
    participant: Participant
    amount: int
    progress: int = 0
    group: GroupTotal | None = None
    group_completed: bool = False
    completed: bool = False


@dataclass
class Tracker:
    """Counts moments for campaigns, inside the transaction that makes each moment."""

    clock: Clock
    events: EventSink
    boards: CampaignBoards | None = None

    async def action_credited(self, conn: BaseDBAsyncClient, credited: ActionCredited) -> None:
        """A credited action counts for count, grams and streak goals."""
        await self.count(conn, Moment(
            "action", credited.action_id, credited.scenario, credited.user_id,
            credited.occurred_at, grams=credited.grams, quantity=credited.credited_quantity,
            local_date=credited.local_date,
        ))  # fmt: skip

    async def energy_gathered(self, conn: BaseDBAsyncClient, entry: LedgerEntry) -> None:
        """Gathered energy (collect, steal, watering received) counts for energy goals."""
        await self.count(
            conn, Moment("energy", entry.id, entry.kind, entry.user_id, entry.created_at,
                         grams=int(entry.delta))
        )  # fmt: skip

    async def checkin_posted(self, conn: BaseDBAsyncClient, posted: CheckinPosted) -> None:
        """A visible check-in counts for check-in goals of its topic."""
        if posted.visible:
            await self.count(
                conn, Moment("checkin", posted.checkin_id, posted.topic, posted.author_id,
                             posted.posted_at)
            )  # fmt: skip

    async def count(self, conn: BaseDBAsyncClient, moment: Moment) -> None:
        """Count one moment for every campaign it matters to."""
        campaigns = await matching_campaigns(conn, moment)
        if not campaigns:
            return
        await lock_account(conn, moment.user_id)
        counted = await self._counted(conn, campaigns, moment)
        if not counted:
            return
        now = self.clock.now()
        team_id = await current_team(conn, moment.user_id)
        await Contribution.bulk_create(
            [
                Contribution(
                    campaign_id=c.campaign.id,
                    user_id=moment.user_id,
                    source=moment.source_key,
                    amount=c.amount,
                    grams=moment.grams if moment.source == "action" else 0,
                    local_date=moment.local_date,
                    team_id=team_id,
                    region=c.participant.region,
                    occurred_at=moment.occurred_at,
                    created_at=now,
                )
                for c in counted
            ],
            using_db=conn,
        )
        await _raise_progress(conn, counted, moment.user_id, now)
        await _raise_groups(conn, counted, team_id, now)
        outcomes = await self._complete(conn, counted, moment.user_id, now)
        await self._tell(conn, counted, moment.user_id, outcomes)
        if self.boards is not None:
            await run_after_commit(
                partial(self._write_boards, self.boards, counted, moment.user_id, now)
            )

    async def _counted(
        self, conn: BaseDBAsyncClient, campaigns: list[Campaign], moment: Moment
    ) -> list[Counted]:
        """The campaigns this moment adds to, for a player who takes part in them."""
        found = await (
            Contribution.filter(campaign_id__in=[c.id for c in campaigns], source=moment.source_key)
            .using_db(conn)
            .values_list("campaign_id", flat=True)
        )
        seen = set(cast(list[int], found))
        goals = {c.id: goal_of(c) for c in campaigns if c.id not in seen}
        amounts = {cid: amount_for(goal, moment) for cid, goal in goals.items()}
        adding = [c for c in campaigns if amounts.get(c.id, 0) > 0]
        if not adding:
            return []
        participants = await enrol(conn, adding, moment.user_id, self.clock.now())
        return [
            Counted(c, goals[c.id], participants[c.id], amounts[c.id])
            for c in adding
            if c.id in participants
        ]

    async def _complete(
        self, conn: BaseDBAsyncClient, counted: list[Counted], user_id: int, now: datetime
    ) -> dict[int, list[dict[str, Any]]]:
        """Mark individual goals reached and grant their rewards."""
        done = [
            c for c in counted
            if c.goal.scope == GoalScope.INDIVIDUAL and c.participant.completed_at is None
            and c.progress >= c.goal.target
        ]  # fmt: skip
        if not done:
            return {}
        await (
            Participant.filter(id__in=[c.participant.id for c in done], completed_at__isnull=True)
            .using_db(conn)
            .update(completed_at=now)
        )
        for c in done:
            c.completed = True
        by_id = {c.campaign.id: c.campaign for c in done}
        rewards = await CampaignReward.filter(campaign_id__in=list(by_id)).using_db(conn)
        items = [(by_id[r.campaign_id], r) for r in rewards]
        return await grant_in_pool_order(conn, self.clock, self.events, user_id, items)

    async def _tell(
        self,
        conn: BaseDBAsyncClient,
        counted: list[Counted],
        user_id: int,
        outcomes: dict[int, list[dict[str, Any]]],
    ) -> None:
        """One campaign.progress listing every campaign the moment counted for (one event, not
        one per campaign: a player in many campaigns gets one frame per moment); then
        campaign.completed for each completion."""
        updates = []
        for c in counted:
            group = None
            if c.group is not None:
                group = {"kind": c.group.kind, "key": c.group.key, "total": c.group.total,
                         "completed": c.group.completed_at is not None}  # fmt: skip
            updates.append(
                {"campaign_id": c.campaign.id, "progress": c.progress, "target": c.goal.target,
                 "completed": c.completed or c.participant.completed_at is not None,
                 "group": group}
            )  # fmt: skip
        await self.events.publish(conn, user_id, "campaign.progress", {"campaigns": updates})
        for c in counted:
            if c.completed:
                await self.events.publish(
                    conn, user_id, "campaign.completed",
                    {"campaign_id": c.campaign.id, "scope": str(c.goal.scope),
                     "progress": c.progress, "target": c.goal.target, "group": None,
                     "rewards": outcomes.get(c.campaign.id, [])},
                )  # fmt: skip

    @staticmethod
    async def _write_boards(
        boards: CampaignBoards, counted: list[Counted], user_id: int, now: datetime
    ) -> None:
        scores = []
        for c in counted:
            scores.append((c.campaign, Score("players", str(user_id), c.progress, now)))
            if c.group is not None:
                which: Which = "teams" if c.group.kind == "team" else "regions"
                scores.append((c.campaign, Score(which, c.group.key, c.group.total, now)))
        await write_campaign_scores(boards, scores, now)


async def _raise_progress(
    conn: BaseDBAsyncClient, counted: list[Counted], user_id: int, now: datetime
) -> None:
    """Add to each participant's progress; a streak's is its longest run of days."""
    by_amount: dict[int, list[int]] = defaultdict(list)
    for c in counted:
        old = int(c.participant.progress)
        if c.goal.kind != GoalKind.STREAK:
            c.progress = old + c.amount
            by_amount[c.amount].append(c.participant.id)
            continue
        days = await (
            Contribution.filter(campaign_id=c.campaign.id, user_id=user_id)
            .using_db(conn)
            .values_list("local_date", flat=True)
        )
        c.progress = max(old, longest_run(d for d in cast(list[date | None], days) if d))
        if c.progress > old:
            await (
                Participant.filter(id=c.participant.id)
                .using_db(conn)
                .update(progress=c.progress, progress_at=now)
            )
    for amount, ids in by_amount.items():
        await (
            Participant.filter(id__in=ids)
            .using_db(conn)
            .update(progress=F("progress") + amount, progress_at=now)
        )


def _group_of(c: Counted, team_id: int | None) -> tuple[str, str] | None:
    """The team or region total this campaign keeps for the player, if any."""
    if c.goal.scope == GoalScope.REGION:
        return ("region", c.participant.region) if c.participant.region else None
    if c.goal.kind != GoalKind.STREAK and team_id is not None:
        return ("team", str(team_id))
    return None


async def _raise_groups(
    conn: BaseDBAsyncClient, counted: list[Counted], team_id: int | None, now: datetime
) -> None:
    """Add to team and region totals (locked in campaign order); mark cooperative goals reached."""
    wanted = {c.campaign.id: g for c in counted if (g := _group_of(c, team_id)) is not None}
    if not wanted:
        return
    await GroupTotal.bulk_create(
        [GroupTotal(campaign_id=cid, kind=k, key=key) for cid, (k, key) in wanted.items()],
        ignore_conflicts=True,
        using_db=conn,
    )
    match = Q(*[Q(campaign_id=cid, kind=k, key=key) for cid, (k, key) in wanted.items()],
              join_type=Q.OR)  # fmt: skip
    rows = await GroupTotal.filter(match).using_db(conn).order_by("campaign_id").select_for_update()
    groups = {g.campaign_id: g for g in rows}
    for c in counted:
        group = groups.get(c.campaign.id)
        if group is None:
            continue
        group.total += c.amount
        fields: dict[str, Any] = {"total": F("total") + c.amount, "reached_at": now}
        cooperative = c.goal.scope == GoalScope("team" if group.kind == "team" else "region")
        if cooperative and group.completed_at is None and group.total >= c.goal.target:
            group.completed_at = fields["completed_at"] = now
            c.group_completed = True
        await GroupTotal.filter(id=group.id).using_db(conn).update(**fields)
        group.reached_at = now
        c.group = group
