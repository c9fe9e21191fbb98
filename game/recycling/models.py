"""Recycling pick-up slots and bookings (docs/store.md#recycling-pick-ups)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class PickupSlot(Model):
    """A time slot in an area with room for `capacity` pick-ups (booked never above it)."""

    id = fields.IntField(primary_key=True)
    area = fields.CharField(max_length=32)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    capacity = fields.IntField()
    booked = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "recycling_slots"
        indexes = (("area", "starts_at"),)


class Pickup(Model):
    """A booked pick-up: booked, confirmed by the partner, completed with its weight, or
    cancelled by the player before the slot."""

    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = player_link("pickups")
    user_id: int
    slot: fields.ForeignKeyRelation[PickupSlot] = fields.ForeignKeyField(
        "models.PickupSlot", related_name="pickups", on_delete=fields.CASCADE
    )
    slot_id: int
    address = fields.CharField(max_length=200)
    kinds: fields.JSONField[list[str]] = fields.JSONField(default=list)
    estimated_kg = fields.DecimalField(max_digits=8, decimal_places=3)
    status = fields.CharField(max_length=10, default="booked")
    weighed_kg = fields.DecimalField(max_digits=8, decimal_places=3, null=True)
    action_id = fields.BigIntField(null=True, unique=True)
    grams = fields.BigIntField(default=0)
    booked_at = fields.DatetimeField()
    confirmed_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recycling_pickups"
        indexes = (("user_id", "id"), ("slot_id", "status"))
