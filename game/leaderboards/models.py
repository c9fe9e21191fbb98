"""What boards keep in the database: counts behind count boards, and finished weeks."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class BoardCount(Model):
    """A player's count on a count board (kindness), raised with the act it counts."""

    id = fields.BigIntField(primary_key=True)
    board = fields.CharField(max_length=24)
    user_id = fields.IntField()
    count = fields.IntField(default=0)
    reached_at = fields.DatetimeField()

    class Meta:
        table = "board_counts"
        unique_together = (("board", "user_id"),)
        indexes = (("board", "reached_at"),)


class WeeklyResult(Model):
    """A player's finished week among their friends: rank, grams and the friend of their duel.

    One row per player and week label, written by the worker once the week has ended on the
    player's own calendar. The rival is the friend just above (who beat them) or, for the
    first, the friend just below (whom they beat).
    """

    id = fields.BigIntField(primary_key=True)
    user_id = fields.IntField()
    week = fields.CharField(max_length=8)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    grams = fields.BigIntField()
    rank = fields.IntField()
    players = fields.IntField()
    rival_id = fields.IntField(null=True)
    rival_grams = fields.BigIntField(null=True)
    outcome = fields.CharField(max_length=8)
    created_at = fields.DatetimeField()

    class Meta:
        table = "weekly_results"
        unique_together = (("user_id", "week"),)
        indexes = (("week", "user_id"),)
