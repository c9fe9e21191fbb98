"""The bill-drop programme: households, their monthly bills and the vouchers they earned
(docs/power.md#bill-drop-vouchers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from core.users import player_link

if TYPE_CHECKING:
    from core.users import User


class BillProgramme(Model):
    """A government programme: its capped budget pool and the drop that earns a voucher."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    pool_id = fields.IntField()
    # A voucher needs a drop of more than this, in hundredths of a percent (500 = 5 %).
    min_drop_bp = fields.IntField()
    voucher_valid_days = fields.IntField()
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "bill_programmes"


class BillHousehold(Model):
    """A player signed up to a programme under the account number of their power bill."""

    id = fields.BigIntField(primary_key=True)
    programme: fields.ForeignKeyRelation[BillProgramme] = fields.ForeignKeyField(
        "models.BillProgramme", related_name="households", on_delete=fields.CASCADE
    )
    programme_id: int
    user: fields.ForeignKeyRelation[User] = player_link("bill_households")
    user_id: int
    account_ref = fields.CharField(max_length=64)
    signed_up_at = fields.DatetimeField()

    class Meta:
        table = "bill_households"
        unique_together = (("programme_id", "user_id"), ("programme_id", "account_ref"))


class Bill(Model):
    """One household's bill for one month, judged once against the same month last year."""

    id = fields.BigIntField(primary_key=True)
    household: fields.ForeignKeyRelation[BillHousehold] = fields.ForeignKeyField(
        "models.BillHousehold", related_name="bills", on_delete=fields.CASCADE
    )
    household_id: int
    month = fields.DateField()
    amount_fen = fields.BigIntField()
    wh = fields.BigIntField()
    # voucher, below-threshold, no-comparison, pool-exhausted or pool-closed.
    outcome = fields.CharField(max_length=16)
    # Last year's amount for the same month, when that bill was there to compare with.
    compared_fen = fields.BigIntField(null=True)
    drop_fen = fields.BigIntField(default=0)
    grant_id = fields.BigIntField(null=True, unique=True)
    received_at = fields.DatetimeField()

    class Meta:
        table = "bill_bills"
        unique_together = (("household_id", "month"),)
