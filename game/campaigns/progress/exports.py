"""The participants of a campaign as CSV rows, for campaign managers, read in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import datetime

from core.users import User
from game.campaigns.lifecycle.goals import goal_of
from game.campaigns.lifecycle.models import Campaign
from game.campaigns.lifecycle.viewing import visible_campaign
from game.campaigns.progress.models import Participant
from game.campaigns.teams.models import TeamMember
from game.rewards.models import Grant

BATCH = 1_000
HEADER = (
    "user_id", "username", "display_name", "region", "team_id", "joined", "enrolled_at",
    "progress", "target", "completed_at", "rewards_granted", "rewards_not_paid",
)  # fmt: skip
# A spreadsheet runs a cell that starts with one of these as a formula: such cells get a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


async def participants_export(viewer: User, campaign_id: int) -> AsyncIterator[list[str]]:
    """A campaign's participants as CSV rows (the campaign checked before the first row)."""
    campaign = await visible_campaign(viewer, campaign_id)
    return participant_rows(campaign)


async def participant_rows(campaign: Campaign) -> AsyncIterator[list[str]]:
    """The header, then one row per participant, in the order they started taking part."""
    yield list(HEADER)
    target, last = goal_of(campaign).target, 0
    while True:
        batch = list(
            await Participant.filter(campaign_id=campaign.id, id__gt=last)
            .order_by("id")
            .limit(BATCH)
            .prefetch_related("user")
        )
        if not batch:
            return
        last = batch[-1].id
        users = [p.user_id for p in batch]
        teams = dict(
            await TeamMember.filter(active_user_id__in=users).values_list("user_id", "team_id")
        )
        granted: dict[int, list[str]] = defaultdict(list)
        unpaid: dict[int, list[str]] = defaultdict(list)
        for user_id, kind, outcome in await Grant.filter(
            campaign_id=campaign.id, user_id__in=users
        ).values_list("user_id", "kind", "outcome"):
            (granted if outcome == "granted" else unpaid)[int(user_id)].append(f"{kind}:{outcome}")
        for p in batch:
            yield [
                cell(v)
                for v in (
                    p.user_id,
                    p.user.username,
                    p.user.display_name,
                    p.region,
                    teams.get(p.user_id),
                    "yes" if p.joined else "no",
                    p.enrolled_at,
                    p.progress,
                    target,
                    p.completed_at,
                    " ".join(k.split(":")[0] for k in granted[p.user_id]),
                    " ".join(unpaid[p.user_id]),
                )
            ]
