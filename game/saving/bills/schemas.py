"""Request and response shapes of the bill-drop programme."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import msgspec

from core.fields import Name
from game.saving.bills.judging import Judged
from game.saving.bills.models import Bill, BillHousehold, BillProgramme

if TYPE_CHECKING:
    from game.saving.bills.from_partner import BillBatchOutcome

# Years 2000-2999: a bill is compared with the year before, which must be a calendar year too.
Month = Annotated[str, msgspec.Meta(pattern=r"^2\d{3}-(0[1-9]|1[0-2])$", examples=["2026-05"])]
AccountRef = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
]


class ProgrammeIn(msgspec.Struct, forbid_unknown_fields=True):
    """A programme: its pool in fen, and the drop (percent) a voucher needs."""

    name: Name
    pool_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
    min_drop_percent: Annotated[str, msgspec.Meta(pattern=r"^\d{1,2}(\.\d{1,2})?$")] | None = None
    voucher_valid_days: Annotated[int, msgspec.Meta(ge=1, le=3_650)] | None = None


class ProgrammeOut(msgspec.Struct):
    """A bill-drop programme."""

    id: int
    name: str
    pool_id: int
    min_drop_percent: str
    voucher_valid_days: int
    created_at: datetime


def programme_out(p: BillProgramme) -> ProgrammeOut:
    """Show a programme."""
    percent = Decimal(p.min_drop_bp) / 100
    return ProgrammeOut(p.id, p.name, p.pool_id, f"{percent:f}", p.voucher_valid_days, p.created_at)


class SignUpIn(msgspec.Struct, forbid_unknown_fields=True):
    """The account number on my power bill."""

    account_ref: AccountRef


class BillIn(msgspec.Struct, forbid_unknown_fields=True):
    """One household's bill for one month: amount in fen and kWh."""

    account_ref: AccountRef
    month: Month
    amount_fen: Annotated[int, msgspec.Meta(ge=0, le=10**9)]
    kwh: Annotated[str, msgspec.Meta(pattern=r"^\d{1,7}(\.\d{1,3})?$")]


class BillBatchIn(msgspec.Struct, forbid_unknown_fields=True):
    """Bills from the power partner, at most 500 at a time."""

    items: Annotated[list[BillIn], msgspec.Meta(min_length=1, max_length=500)]


class PartnerBillIn(BillIn, forbid_unknown_fields=True):
    """A bill the power partner sends: the programme the household signed up to, then the bill."""

    programme_id: Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]


class PartnerBillBatchIn(msgspec.Struct):
    """Bills from the power partner (documentation of the body; the server reads the signed
    bytes), at most 500 at a time."""

    items: Annotated[list[PartnerBillIn], msgspec.Meta(max_length=500)]


class PartnerBillOut(msgspec.Struct, omit_defaults=True):
    """One bill's outcome: stored (with its outcome and drop), duplicate, or refused (reason).

    The voucher's code is not shown to the partner: it is the player's to spend."""

    index: int
    status: str
    programme_id: int | None = None
    account_ref: str | None = None
    month: str | None = None
    outcome: str | None = None
    drop_fen: int = 0
    reason: str | None = None
    detail: str | None = None


class PartnerBillBatchOut(msgspec.Struct):
    """Every bill's outcome in the order sent, and counts by status."""

    call_id: int
    items: list[PartnerBillOut]
    counts: dict[str, int]


def partner_bill_batch_out(batch: BillBatchOutcome) -> PartnerBillBatchOut:
    """Show a bill batch's outcomes."""
    items = []
    for i, (sent, j) in enumerate(zip(batch.sent, batch.judged, strict=True)):
        given = sent if isinstance(sent, PartnerBillIn) else None
        refused = j.status == "refused"
        items.append(
            PartnerBillOut(
                index=i, status=j.status,
                programme_id=given.programme_id if given else None,
                account_ref=given.account_ref if given else None,
                month=given.month if given else None,
                outcome=None if refused else j.outcome, drop_fen=j.drop_fen,
                reason=j.outcome if refused else None,
                detail=(j.detail or None) if refused else None,
            )
        )  # fmt: skip
    return PartnerBillBatchOut(call_id=batch.call_id, items=items, counts=dict(batch.counts))


class JudgedOut(msgspec.Struct):
    """What became of one bill: stored (with its outcome), duplicate or refused."""

    status: str
    outcome: str | None
    drop_fen: int
    voucher_code: str | None


def judged_out(j: Judged) -> JudgedOut:
    """Show one bill's outcome."""
    return JudgedOut(j.status, j.outcome, j.drop_fen, j.voucher_code)


class BillOut(msgspec.Struct):
    """One month's bill and what it earned."""

    month: str
    amount_fen: int
    kwh: str
    outcome: str
    drop_fen: int


class HouseholdOut(msgspec.Struct):
    """My household in a programme and its bills, newest first."""

    programme_id: int
    account_ref: str
    signed_up_at: datetime
    bills: list[BillOut]


def household_out(h: BillHousehold, bills: list[Bill]) -> HouseholdOut:
    """Show a household and its bills."""
    return HouseholdOut(
        h.programme_id, h.account_ref, h.signed_up_at,
        [BillOut(b.month.isoformat()[:7], b.amount_fen, f"{Decimal(b.wh) / 1000:.3f}",
                 b.outcome, b.drop_fen) for b in bills],
    )  # fmt: skip


def month_of(text: str) -> date:
    """The first day of a YYYY-MM month."""
    year, month = text.split("-")
    return date(int(year), int(month), 1)
