"""Judging a monthly bill against the same month last year (docs/power.md#bill-drop-vouchers).

A drop of more than the programme's threshold (5 % by default) earns a voucher equal to the
drop ("save 1 yuan, get 1 yuan"), paid from the programme's capped pool. Each bill is judged
once, when it arrives: a household has one bill per month, so at most one voucher a month, and
the pool's guard (`remaining >= drop`) means parallel batches never overspend it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.db import in_transaction
from core.errors import DomainError
from core.events import EventSink
from game.rewards.grants import GrantRequest, RewardSpec, grant_reward
from game.saving.bills.models import Bill, BillHousehold, BillProgramme
from game.saving.bills.programmes import get_programme


@dataclass(frozen=True)
class BillInput:
    """One household's bill for one month, as the power partner sends it."""

    account_ref: str
    month: date
    amount_fen: int
    kwh: Decimal


@dataclass(frozen=True)
class Judged:
    """What became of one bill: its outcome, the drop and the voucher code if one was paid."""

    status: str
    outcome: str | None = None
    drop_fen: int = 0
    voucher_code: str | None = None
    detail: str = ""


# Checked inside a bill's transaction before it is stored; a DomainError refuses the bill (the
# partner flow holds the household's consent here, so a revocation stops it at once).
Guard = Callable[[BaseDBAsyncClient, BillHousehold], Awaitable[None]]


def last_year(month: date) -> date:
    """The same month a year earlier."""
    return month.replace(year=month.year - 1)


def earns_voucher(last_fen: int, this_fen: int, min_drop_bp: int) -> bool:
    """True when the bill fell by more than the threshold (in hundredths of a percent)."""
    return (last_fen - this_fen) * 10_000 > last_fen * min_drop_bp


async def receive_bills(
    clock: Clock, events: EventSink, programme_id: int, bills: Sequence[BillInput]
) -> list[Judged]:
    """Store and judge each bill in its own transaction; each gets its outcome."""
    programme = await get_programme(programme_id)
    return [await receive_bill(clock, events, programme, given) for given in bills]


async def receive_bill(
    clock: Clock, events: EventSink, programme: BillProgramme, given: BillInput,
    guard: Guard | None = None,
) -> Judged:  # fmt: skip
    """Store and judge one bill in its own transaction: stored, duplicate or refused."""
    household = await BillHousehold.get_or_none(
        programme_id=programme.id, account_ref=given.account_ref
    )
    if household is None:
        return Judged(status="refused", outcome="unknown-household")
    try:
        async with in_transaction() as conn:
            if guard is not None:
                await guard(conn, household)
            previous = (
                await Bill.filter(household_id=household.id, month=last_year(given.month))
                .using_db(conn)
                .first()
            )
            bill = await Bill.create(
                using_db=conn, household_id=household.id, month=given.month,
                amount_fen=given.amount_fen, wh=int(given.kwh * 1000), outcome="no-comparison",
                received_at=clock.now(),
            )  # fmt: skip
            code = None
            if previous is not None:
                code = await _judge(conn, clock, events, programme, household, previous, bill)
            await events.publish(
                conn, household.user_id, "bill.judged",
                {"month": given.month.isoformat()[:7], "amount_fen": bill.amount_fen,
                 "outcome": bill.outcome, "drop_fen": bill.drop_fen, "voucher_code": code},
            )  # fmt: skip
    except IntegrityError:
        # This household's bill for the month was received before: bills are judged once.
        return Judged(status="duplicate")
    except DomainError as refused:
        return Judged(status="refused", outcome=refused.code, detail=str(refused))
    return Judged("stored", bill.outcome, bill.drop_fen, code)


async def _judge(
    conn: BaseDBAsyncClient, clock: Clock, events: EventSink, programme: BillProgramme,
    household: BillHousehold, previous: Bill, bill: Bill,
) -> str | None:  # fmt: skip
    drop = previous.amount_fen - bill.amount_fen
    bill.drop_fen, bill.compared_fen = max(drop, 0), previous.amount_fen
    code = None
    if not earns_voucher(previous.amount_fen, bill.amount_fen, programme.min_drop_bp):
        bill.outcome = "below-threshold"
    else:
        request = GrantRequest(
            key=f"bill:{household.id}:{bill.month.isoformat()[:7]}", user_id=household.user_id,
            source="bill",
            spec=RewardSpec(
                kind="voucher", pool_id=programme.pool_id, amount=drop,
                valid_days=programme.voucher_valid_days,
            ),
            reason=f"bill drop {bill.month.isoformat()[:7]}",
        )  # fmt: skip
        granted = await grant_reward(conn, clock, events, request)
        bill.grant_id = granted.grant.id
        bill.outcome = "voucher" if granted.grant.outcome == "granted" else granted.grant.outcome
        code = granted.voucher.code if granted.voucher else None
    await bill.save(
        using_db=conn, update_fields=["outcome", "drop_fen", "compared_fen", "grant_id"]
    )
    return code


async def my_bills(user_id: int) -> list[tuple[BillHousehold, list[Bill]]]:
    """The player's households and their bills, newest month first."""
    households = list(await BillHousehold.filter(user_id=user_id).order_by("id"))
    return [(h, list(await Bill.filter(household_id=h.id).order_by("-month"))) for h in households]
