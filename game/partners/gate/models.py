"""The audit log of partner calls."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class PartnerCall(Model):
    """One call to the partner API, refused or served, and what came of it.

    `signature` is set only once a call's signature checked out; its unique index is what
    refuses a replay, in the database, so a Redis outage or flush cannot let one through.
    """

    id = fields.BigIntField(primary_key=True)
    platform_id = fields.IntField(null=True)
    key_id = fields.CharField(max_length=40, default="")
    method = fields.CharField(max_length=8)
    path = fields.CharField(max_length=200)
    address = fields.CharField(max_length=64, default="")
    received_at = fields.DatetimeField()
    signed_at = fields.DatetimeField(null=True)
    signature = fields.CharField(max_length=64, null=True, unique=True)
    body_sha256 = fields.CharField(max_length=64)
    body_bytes = fields.IntField()
    outcome = fields.CharField(max_length=48, default="")
    items = fields.IntField(default=0)
    counts: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    grams = fields.BigIntField(default=0)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "partner_calls"
        indexes = (("platform_id", "id"), ("received_at",))
