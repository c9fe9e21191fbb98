"""The species each player grows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from core.users import User


class TreeChoice(Model):
    """The species a player is growing in their forest."""

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="tree_choice", on_delete=fields.CASCADE, primary_key=True
    )
    user_id: int
    species = fields.CharField(max_length=32)
    chosen_at = fields.DatetimeField()

    class Meta:
        table = "tree_choices"
