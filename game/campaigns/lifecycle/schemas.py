"""Request and response shapes of campaigns and segments."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import msgspec

from core.fields import IdIn, Name, Region
from game.campaigns.lifecycle.audiences import Audience
from game.campaigns.lifecycle.goals import Goal, goal_of
from game.campaigns.lifecycle.models import AudienceKind, GoalKind, GoalScope, Segment
from game.campaigns.lifecycle.prizes import spec_of
from game.campaigns.lifecycle.states import settles_at
from game.campaigns.lifecycle.viewing import CampaignView
from game.rewards.grants import RewardSpec

Text = Annotated[str, msgspec.Meta(max_length=2000)]
ArtUrl = Annotated[
    str,
    msgspec.Meta(max_length=500, pattern=r"^(|https://\S+|/\S*)$", examples=["/art/carpool.png"]),
]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=48)]
Timezone = Annotated[str, msgspec.Meta(min_length=1, max_length=64, examples=["Asia/Shanghai"])]
LocalTime = Annotated[
    datetime,
    msgspec.Meta(description="In the campaign's time zone unless it carries its own offset"),
]


class AudienceIn(msgspec.Struct, forbid_unknown_fields=True):
    """Who the campaign is for: everyone, regions, invited players, players who join, a segment."""

    kind: Literal["everyone", "regions", "invited", "joined", "segment"]
    regions: Annotated[list[Region], msgspec.Meta(max_length=50)] = []
    user_ids: Annotated[list[IdIn], msgspec.Meta(max_length=10_000)] = []
    segment_id: IdIn | None = None

    def audience(self) -> Audience:
        """The audience the rules check."""
        return Audience(AudienceKind(self.kind), tuple(self.regions), tuple(self.user_ids),
                        self.segment_id)  # fmt: skip


class GoalIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the campaign counts, who reaches it, and how much completes it."""

    kind: Literal["count", "grams", "streak", "energy", "checkins"]
    target: Annotated[int, msgspec.Meta(ge=1, le=10**12)]
    scope: Literal["individual", "team", "region"] = "individual"
    scenarios: Annotated[list[Code], msgspec.Meta(max_length=50)] | None = None
    topic: Code | None = None
    ledger_kinds: Annotated[list[Code], msgspec.Meta(max_length=3)] | None = None
    min_quantity: Annotated[
        Decimal | None,
        msgspec.Meta(description="Units an action needs to count (count and streak goals; 1)"),
    ] = None

    def goal(self) -> Goal:
        """The goal the rules check."""
        return Goal(
            kind=GoalKind(self.kind), scope=GoalScope(self.scope), target=self.target,
            scenarios=tuple(self.scenarios) if self.scenarios is not None else None,
            topic=self.topic,
            ledger_kinds=tuple(self.ledger_kinds) if self.ledger_kinds is not None else None,
            min_quantity=self.min_quantity if self.min_quantity is not None else Decimal(1),
        )  # fmt: skip


class RewardIn(msgspec.Struct, forbid_unknown_fields=True):
    """A reward: energy (`grams`), a prop (`prop`, `quantity`), a medal (`medal`), or a
    voucher (`pool_id` in fen, `valid_days`); `pool_id` caps any reward by a budget pool."""

    kind: Literal["energy", "prop", "medal", "voucher"]
    grams: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 0
    prop: Annotated[str, msgspec.Meta(max_length=24)] = ""
    quantity: Annotated[int, msgspec.Meta(ge=0, le=100)] = 0
    medal: Annotated[str, msgspec.Meta(max_length=120)] = ""
    pool_id: IdIn | None = None
    valid_days: Annotated[int, msgspec.Meta(ge=0, le=366)] = 0

    def spec(self) -> RewardSpec:
        """The reward the rules check."""
        return RewardSpec(
            kind=self.kind, grams=self.grams, prop_kind=self.prop, quantity=self.quantity,
            medal_name=self.medal, valid_days=self.valid_days, pool_id=self.pool_id,
        )  # fmt: skip


class CampaignIn(msgspec.Struct, forbid_unknown_fields=True):
    """A campaign to create, as a draft."""

    name: Name
    timezone: Timezone
    starts_at: LocalTime
    ends_at: LocalTime
    audience: AudienceIn
    goal: GoalIn
    rewards: Annotated[list[RewardIn], msgspec.Meta(max_length=5)] = []
    description: Text = ""
    art_url: ArtUrl = ""


class CampaignPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a campaign; a started one accepts only a later end, pausing, words and art.
    `state` publishes a draft (`scheduled`) or takes one that has not started back (`draft`)."""

    name: Name | None = None
    description: Text | None = None
    art_url: ArtUrl | None = None
    timezone: Timezone | None = None
    starts_at: LocalTime | None = None
    ends_at: LocalTime | None = None
    audience: AudienceIn | None = None
    goal: GoalIn | None = None
    rewards: Annotated[list[RewardIn], msgspec.Meta(max_length=5)] | None = None
    state: Literal["draft", "scheduled"] | None = None
    paused: bool | None = None


class AudienceOut(msgspec.Struct):
    """Who the campaign is for (invited players are counted, not listed)."""

    kind: str
    regions: list[str]
    invited: int
    segment_id: int | None


class GoalOut(msgspec.Struct):
    """The goal."""

    kind: str
    scope: str
    target: int
    scenarios: list[str] | None
    topic: str | None
    ledger_kinds: list[str] | None
    min_quantity: Decimal


class CampaignRewardOut(msgspec.Struct):
    """A reward of the campaign."""

    id: int
    kind: str
    grams: int
    prop: str | None
    quantity: int
    medal: str | None
    pool_id: int | None
    valid_days: int


class CampaignOut(msgspec.Struct):
    """A campaign: its window in its own time zone, state, audience, goal and rewards."""

    id: int
    name: str
    description: str
    art_url: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    settles_at: datetime
    state: str
    paused: bool
    audience: AudienceOut
    goal: GoalOut
    rewards: list[CampaignRewardOut]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    settled_at: datetime | None
    result: dict[str, Any] | None


def campaign_out(view: CampaignView, settle_after: timedelta) -> CampaignOut:
    """Show a campaign."""
    c, goal = view.campaign, goal_of(view.campaign)
    local = ZoneInfo(c.timezone)
    rewards = []
    for r in view.rewards:
        spec = spec_of(r)
        rewards.append(
            CampaignRewardOut(
                id=r.id,
                kind=spec.kind,
                grams=spec.grams,
                prop=spec.prop_kind or None,
                quantity=spec.quantity,
                medal=spec.medal_name or None,
                pool_id=spec.pool_id,
                valid_days=spec.valid_days,
            )
        )
    return CampaignOut(
        id=c.id, name=c.name, description=c.description, art_url=c.art_url,
        timezone=c.timezone, starts_at=c.starts_at.astimezone(local),
        ends_at=c.ends_at.astimezone(local),
        settles_at=settles_at(c, settle_after).astimezone(local), state=view.state,
        paused=c.paused,
        audience=AudienceOut(str(c.audience_kind), list(c.audience_regions), view.invited,
                             c.segment_id),
        goal=GoalOut(
            kind=str(goal.kind), scope=str(goal.scope), target=goal.target,
            scenarios=list(goal.scenarios) if goal.scenarios is not None else None,
            topic=goal.topic,
            ledger_kinds=list(goal.ledger_kinds) if goal.ledger_kinds is not None else None,
            min_quantity=goal.min_quantity,
        ),
        rewards=rewards, created_at=c.created_at, updated_at=c.updated_at,
        published_at=c.published_at, settled_at=c.settled_at, result=c.result,
    )  # fmt: skip


class CampaignsPage(msgspec.Struct):
    """A page of campaigns, newest first."""

    items: list[CampaignOut]
    next_cursor: str | None


class SegmentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A segment to save: a region (or every region), active within some days (or any)."""

    name: Name
    region: Region = ""
    active_within_days: Annotated[int, msgspec.Meta(ge=1, le=365)] | None = None


class SegmentOut(msgspec.Struct):
    """A saved segment, with how many players are in it now."""

    id: int
    name: str
    region: str
    active_within_days: int | None
    players_now: int | None
    created_at: datetime


def segment_out(segment: Segment, size: int | None = None) -> SegmentOut:
    """Show a segment."""
    return SegmentOut(
        segment.id, segment.name, segment.region, segment.active_within_days, size,
        segment.created_at,
    )  # fmt: skip
