"""Smart meters, their 15-minute readings, and the audit of corrected readings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.users import User


class Meter(Model):
    """A smart meter known by the reference its source gives it, belonging to one player."""

    id = fields.BigIntField(primary_key=True)
    source = fields.CharField(max_length=48)
    meter_ref = fields.CharField(max_length=64)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="meters", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField()

    class Meta:
        table = "power_meters"
        unique_together = (("source", "meter_ref"),)


class MeterReading(Model):
    """Energy used in one 15-minute interval, in watt-hours, once per (meter, interval)."""

    id = fields.BigIntField(primary_key=True)
    meter: fields.ForeignKeyRelation[Meter] = fields.ForeignKeyField(
        "models.Meter", related_name="readings", on_delete=fields.CASCADE
    )
    meter_id: int
    interval_start = fields.DatetimeField()
    # The owner's local date of interval_start, so daily and monthly sums are plain GROUP BYs.
    local_date = fields.DateField()
    wh = fields.BigIntField()
    revision = fields.IntField(default=0)
    received_at = fields.DatetimeField()

    class Meta:
        table = "power_meter_readings"
        unique_together = (("meter_id", "interval_start"),)
        indexes = (("meter_id", "local_date"),)


class ReadingCorrection(Model):
    """A resent interval whose value changed: the old and the new value, kept for audit."""

    id = fields.BigIntField(primary_key=True)
    reading: fields.ForeignKeyRelation[MeterReading] = fields.ForeignKeyField(
        "models.MeterReading", related_name="corrections", on_delete=fields.CASCADE
    )
    reading_id: int
    old_wh = fields.BigIntField()
    new_wh = fields.BigIntField()
    revision = fields.IntField()
    corrected_at = fields.DatetimeField()

    class Meta:
        table = "power_reading_corrections"
        unique_together = (("reading_id", "revision"),)
