"""Campaigns, their rewards, what their goals count, invited players, and saved segments."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class Stage(StrEnum):
    """What a campaign manager decided: a draft, published (its window then says scheduled,
    live or ended), or settled by the worker. See game/campaigns/lifecycle/states.py."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SETTLED = "settled"


class AudienceKind(StrEnum):
    """Who a campaign is for."""

    EVERYONE = "everyone"
    REGIONS = "regions"
    INVITED = "invited"
    JOINED = "joined"
    SEGMENT = "segment"


class GoalKind(StrEnum):
    """What a goal counts."""

    COUNT = "count"
    GRAMS = "grams"
    STREAK = "streak"
    ENERGY = "energy"
    CHECKINS = "checkins"


class GoalScope(StrEnum):
    """Who reaches a goal: each player alone, a team together, or a region together."""

    INDIVIDUAL = "individual"
    TEAM = "team"
    REGION = "region"


class Segment(Model):
    """A saved group of players: a region, active (a credited action) within some days."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    region = fields.CharField(max_length=32, default="")
    active_within_days = fields.IntField(null=True)
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "campaign_segments"


class Campaign(Model):
    """A challenge with a window in a time zone, an audience, a goal and rewards."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField()
    art_url = fields.CharField(max_length=500, default="")
    timezone = fields.CharField(max_length=64)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    stage = fields.CharEnumField(Stage, max_length=10, default=Stage.DRAFT)
    paused = fields.BooleanField(default=False)
    audience_kind = fields.CharEnumField(AudienceKind, max_length=10)
    audience_regions: fields.JSONField[list[str]] = fields.JSONField(default=list)
    segment: fields.ForeignKeyNullableRelation[Segment] = fields.ForeignKeyField(
        "models.Segment", related_name="campaigns", null=True, on_delete=fields.SET_NULL
    )
    segment_id: int | None
    goal_kind = fields.CharEnumField(GoalKind, max_length=10)
    goal_scope = fields.CharEnumField(GoalScope, max_length=10)
    goal_target = fields.BigIntField()
    # scenarios (null: any), topic, ledger_kinds (null: any gathering), min_quantity.
    goal_filter: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    published_at = fields.DatetimeField(null=True)
    settled_at = fields.DatetimeField(null=True)
    # Announcing the start to the audience, in batches by player id: the last id told so far,
    # and when every batch was sent (docs/rules.md#announcing).
    announced_through = fields.IntField(default=0)
    announced_at = fields.DatetimeField(null=True)
    # The final figures, written once by settlement.
    result: fields.JSONField[dict[str, Any]] | None = fields.JSONField(null=True)

    class Meta:
        table = "campaigns"
        indexes = (("stage", "ends_at"),)


class CampaignReward(Model):
    """One reward of a campaign, granted once to each player who completes its goal."""

    id = fields.IntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="rewards", on_delete=fields.CASCADE
    )
    campaign_id: int
    position = fields.SmallIntField()
    kind = fields.CharField(max_length=8)
    grams = fields.BigIntField(default=0)
    prop_kind = fields.CharField(max_length=24, default="")
    quantity = fields.IntField(default=0)
    medal_name = fields.CharField(max_length=160, default="")
    valid_days = fields.IntField(default=0)
    pool_id = fields.IntField(null=True)

    class Meta:
        table = "campaign_rewards"


class CampaignTrigger(Model):
    """What a campaign's goal counts, for finding the campaigns a moment matters to: source
    `action` (key: a scenario), `energy` (a ledger kind) or `checkin` (a topic), key `*` = any."""

    id = fields.BigIntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="triggers", on_delete=fields.CASCADE
    )
    campaign_id: int
    source = fields.CharField(max_length=8)
    key = fields.CharField(max_length=48)

    class Meta:
        table = "campaign_triggers"
        indexes = (("source", "key"),)


class CampaignInvite(Model):
    """A player invited to a campaign whose audience is an invited list."""

    id = fields.BigIntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="invites", on_delete=fields.CASCADE
    )
    campaign_id: int
    user_id = fields.IntField()

    class Meta:
        table = "campaign_invites"
        unique_together = (("campaign_id", "user_id"),)
