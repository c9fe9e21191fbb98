"""Consents a player gives a partner platform, current and past."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.users import User
    from game.partners.platforms.models import PartnerPlatform


class Consent(Model):
    """A player lets a platform report some scenarios (and meter readings) under its own user_ref.

    Rows are never deleted: revoking or replacing sets revoked_at. While a consent is current,
    current_ref and current_user_id repeat user_ref and user_id, so unique indexes keep one
    current consent per (platform, user_ref) and per (platform, player), and revoking empties them.
    """

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="partner_consents", on_delete=fields.CASCADE
    )
    user_id: int
    platform: fields.ForeignKeyRelation[PartnerPlatform] = fields.ForeignKeyField(
        "models.PartnerPlatform", related_name="consents", on_delete=fields.CASCADE
    )
    platform_id: int
    user_ref = fields.CharField(max_length=128)
    meter_readings = fields.BooleanField(default=False)
    granted_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    revoked_reason = fields.CharField(max_length=16, default="")
    current_ref = fields.CharField(max_length=128, null=True)
    current_user_id = fields.IntField(null=True)

    class Meta:
        table = "partner_consents"
        unique_together = (("platform_id", "current_ref"), ("platform_id", "current_user_id"))
        indexes = (("user_id", "id"), ("platform_id", "user_ref"))


class ConsentScenario(Model):
    """One scenario a consent covers."""

    id = fields.BigIntField(primary_key=True)
    consent: fields.ForeignKeyRelation[Consent] = fields.ForeignKeyField(
        "models.Consent", related_name="scenarios", on_delete=fields.CASCADE
    )
    consent_id: int
    scenario = fields.CharField(max_length=48)

    class Meta:
        table = "partner_consent_scenarios"
        unique_together = (("consent_id", "scenario"),)
