"""Participants, what counted for them (once per source moment), and team and region totals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.users import User
    from game.campaigns.lifecycle.models import Campaign


class Participant(Model):
    """A player taking part in a campaign: joined, or enrolled by their first counted moment.
    `progress` is the sum of their contributions (a streak: its longest run of days)."""

    id = fields.BigIntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="participants", on_delete=fields.CASCADE
    )
    campaign_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="campaigns", on_delete=fields.CASCADE
    )
    user_id: int
    # The player's region when they started taking part: the region they count for.
    region = fields.CharField(max_length=32, default="")
    joined = fields.BooleanField(default=False)
    enrolled_at = fields.DatetimeField()
    progress = fields.BigIntField(default=0)
    progress_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "campaign_participants"
        unique_together = (("campaign_id", "user_id"),)
        indexes = (("campaign_id", "enrolled_at"), ("campaign_id", "completed_at"))


class Contribution(Model):
    """What one moment (an action, a ledger row, a check-in) added to one campaign, once:
    `source` names the moment and is unique per campaign."""

    id = fields.BigIntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="contributions", on_delete=fields.CASCADE
    )
    campaign_id: int
    user_id = fields.IntField()
    source = fields.CharField(max_length=40)
    amount = fields.BigIntField()
    # Grams of CO2e avoided by the action behind it (0 for energy and check-ins).
    grams = fields.BigIntField(default=0)
    local_date = fields.DateField(null=True)
    team_id = fields.IntField(null=True)
    region = fields.CharField(max_length=32, default="")
    occurred_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "campaign_contributions"
        unique_together = (("campaign_id", "source"),)
        indexes = (("campaign_id", "created_at"), ("campaign_id", "user_id", "local_date"))


class GroupTotal(Model):
    """A team's or a region's total in a campaign, and when it reached a cooperative goal.
    Its members are rewarded by the worker, in user id order up to `rewarded_through`."""

    id = fields.BigIntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="group_totals", on_delete=fields.CASCADE
    )
    campaign_id: int
    kind = fields.CharField(max_length=8)
    key = fields.CharField(max_length=32)
    total = fields.BigIntField(default=0)
    reached_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    rewarded_through = fields.IntField(default=0)
    rewards_done = fields.BooleanField(default=False)

    class Meta:
        table = "campaign_group_totals"
        unique_together = (("campaign_id", "kind", "key"),)
        indexes = (("completed_at", "rewards_done"),)
