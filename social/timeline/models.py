"""Timeline entries shown to the player they concern."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class TimelineEntry(Model):
    """Something a friend did to the owner's forest."""

    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = player_link("timeline")
    owner_id: int
    actor: fields.ForeignKeyRelation[User] = player_link("timeline_acts")
    actor_id: int
    kind = fields.CharField(max_length=16)
    grams = fields.BigIntField(default=0)
    bubble_id = fields.BigIntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "timeline_entries"
        indexes = (("owner_id", "id"),)
