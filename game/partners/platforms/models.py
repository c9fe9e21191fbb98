"""Partner platforms (machine clients) and the keys they sign their calls with."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class PartnerPlatform(Model):
    """A platform that reports players' actions or meter readings, with its limits."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, unique=True)
    # Scenario codes of the methodology catalog the platform may report.
    scenarios: fields.JSONField[list[str]] = fields.JSONField(default=list)
    meter_readings = fields.BooleanField(default=False)
    # What else it may do through the signed API: power_events, bills, recycling.
    scopes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    timezone = fields.CharField(max_length=64)
    contact = fields.CharField(max_length=200)
    daily_budget_grams = fields.BigIntField()
    requests_per_minute = fields.IntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "partner_platforms"


class PartnerKey(Model):
    """A key id and its secret, sealed at rest. Usable until revoked or past `expires_at`."""

    id = fields.IntField(primary_key=True)
    platform: fields.ForeignKeyRelation[PartnerPlatform] = fields.ForeignKeyField(
        "models.PartnerPlatform", related_name="keys", on_delete=fields.CASCADE
    )
    platform_id: int
    key_id = fields.CharField(max_length=40, unique=True)
    sealed_secret = fields.BinaryField()
    created_at = fields.DatetimeField()
    # Set when a newer key replaces this one: it keeps working until then (the overlap).
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    revoked_reason = fields.CharField(max_length=200, default="")

    class Meta:
        table = "partner_keys"
