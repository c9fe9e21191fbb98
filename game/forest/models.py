"""What friends did in each other's forests: steals and waterings, and daily counters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link
from game.energy.models import Bubble

if TYPE_CHECKING:
    from core.users import User


class Steal(Model):
    """What one friend took from one bubble. A friend steals from a bubble at most once."""

    id = fields.BigIntField(primary_key=True)
    bubble: fields.ForeignKeyRelation[Bubble] = fields.ForeignKeyField(
        "models.Bubble", related_name="steals", on_delete=fields.CASCADE
    )
    bubble_id: int
    thief: fields.ForeignKeyRelation[User] = player_link("steals")
    thief_id: int
    grams = fields.BigIntField()
    doubled = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "energy_steals"
        unique_together = (("bubble_id", "thief_id"),)


class Watering(Model):
    """Energy a player gave a friend from their own balance."""

    id = fields.BigIntField(primary_key=True)
    giver: fields.ForeignKeyRelation[User] = player_link("waterings_given")
    giver_id: int
    receiver: fields.ForeignKeyRelation[User] = player_link("waterings_received")
    receiver_id: int
    grams = fields.BigIntField()
    local_date = fields.DateField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "energy_waterings"
        indexes = (("giver_id", "local_date"),)


class DailyCounter(Model):
    """How many times a player did something limited per local day (watering, …)."""

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    what = fields.CharField(max_length=24)
    local_date = fields.DateField()
    count = fields.IntField(default=0)

    class Meta:
        table = "daily_counters"
        unique_together = (("user_id", "what", "local_date"),)


class Help(Model):
    """A friend collected a bubble about to expire on its owner's behalf (once per bubble)."""

    id = fields.BigIntField(primary_key=True)
    bubble: fields.ForeignKeyRelation[Bubble] = fields.ForeignKeyField(
        "models.Bubble", related_name="helps", on_delete=fields.CASCADE
    )
    bubble_id: int
    owner_id = fields.IntField()
    helper_id = fields.IntField(db_index=True)
    grams = fields.BigIntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "forest_helps"
        unique_together = (("bubble_id", "helper_id"),)


class Revival(Model):
    """An expired bubble brought back once: by its owner with a revive card, or by a friend.

    `grams` went back to the owner out of the bubble's expired energy, and `cost` is what a
    reviving friend paid from their own balance (0 when the owner spent a card).
    """

    id = fields.BigIntField(primary_key=True)
    bubble: fields.OneToOneRelation[Bubble] = fields.OneToOneField(
        "models.Bubble", related_name="revival", on_delete=fields.CASCADE
    )
    bubble_id: int
    owner_id = fields.IntField()
    reviver_id = fields.IntField()
    paid_with = fields.CharField(max_length=8)
    grams = fields.BigIntField()
    cost = fields.BigIntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "forest_revivals"
        indexes = (("reviver_id", "id"),)
