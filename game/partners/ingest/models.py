"""Partner credits (which consent and budget each credited action used) and daily budgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from game.carbon.models import Action


class PartnerCredit(Model):
    """A credited partner action: the consent it relied on and the budget day it drew from.

    Written in the action's own transaction; one per action.
    """

    id = fields.BigIntField(primary_key=True)
    action: fields.OneToOneRelation[Action] = fields.OneToOneField(
        "models.Action", related_name="partner_credit", on_delete=fields.CASCADE
    )
    action_id: int
    platform_id = fields.IntField()
    consent_id = fields.BigIntField()
    call_id = fields.BigIntField(null=True)
    grams = fields.BigIntField()
    budget_day = fields.DateField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "partner_credits"
        indexes = (("platform_id", "budget_day"),)


class BudgetDay(Model):
    """A partner's gram budget for one day of its own calendar. used <= budget, always."""

    id = fields.BigIntField(primary_key=True)
    platform_id = fields.IntField()
    day = fields.DateField()
    budget = fields.BigIntField()
    used = fields.BigIntField(default=0)

    class Meta:
        table = "partner_budget_days"
        unique_together = (("platform_id", "day"),)
