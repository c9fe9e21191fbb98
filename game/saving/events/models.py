"""Peak-hour power-saving events and the households taking part (docs/power.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class PowerEvent(Model):
    """A demand-response event: a region, a peak window, a rate per kWh saved and its pool."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    region = fields.CharField(max_length=32)
    timezone = fields.CharField(max_length=64)
    local_date = fields.DateField()
    window_start = fields.DatetimeField()
    window_end = fields.DatetimeField()
    rate_fen_per_kwh = fields.IntField()
    factor_g_per_kwh = fields.DecimalField(max_digits=10, decimal_places=3)
    payout = fields.CharField(max_length=8)
    pool_id = fields.IntField()
    voucher_valid_days = fields.IntField(default=0)
    invited = fields.IntField(default=0)
    announced_by_id = fields.IntField(null=True)
    partner_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "power_events"
        indexes = (("region", "window_start"),)


class PowerEventEntry(Model):
    """A household that opted in to an event, and its outcome once its readings are in."""

    id = fields.BigIntField(primary_key=True)
    event: fields.ForeignKeyRelation[PowerEvent] = fields.ForeignKeyField(
        "models.PowerEvent", related_name="entries", on_delete=fields.CASCADE
    )
    event_id: int
    user: fields.ForeignKeyRelation[User] = player_link("power_event_entries")
    user_id: int
    joined_at = fields.DatetimeField()
    # joined, settled (an outcome, saved or not), no-baseline (too little history) or
    # missing-readings (the window's readings never came within the grace days).
    status = fields.CharField(max_length=16, default="joined")
    baseline_wh = fields.BigIntField(null=True)
    actual_wh = fields.BigIntField(null=True)
    saved_wh = fields.BigIntField(default=0)
    peak_w = fields.BigIntField(default=0)
    reward_fen = fields.BigIntField(default=0)
    co2_g = fields.BigIntField(default=0)
    reward_outcome = fields.CharField(max_length=16, default="")
    grant_id = fields.BigIntField(null=True, unique=True)
    action_id = fields.BigIntField(null=True)
    settled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "power_event_entries"
        unique_together = (("event_id", "user_id"),)
        indexes = (("user_id", "status"),)
