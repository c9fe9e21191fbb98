"""Bill-drop programmes and the households signed up to them (docs/power.md#bill-drop-vouchers)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.errors import Conflict, NotFound
from core.settings import Settings
from game.rewards.pools import usable_pool
from game.saving.bills.models import BillHousehold, BillProgramme


class ProgrammeNotFound(NotFound):
    """No such bill-drop programme."""

    code = "bill-programme-not-found"
    title = "Bill-drop programme not found"


class AccountTaken(Conflict):
    """Another household signed up with this power account, or I signed up already."""

    code = "bill-account-taken"
    title = "This power account or player is already signed up"


@dataclass(frozen=True)
class BillRules:
    """The defaults of new programmes, from settings."""

    min_drop_bp: int
    voucher_valid_days: int

    @classmethod
    def from_settings(cls, settings: Settings) -> BillRules:
        """GREENSPARK_BILL_DROP_MIN_PERCENT and GREENSPARK_BILL_VOUCHER_VALID_DAYS."""
        return cls(
            min_drop_bp=int(Decimal(settings.bill_drop_min_percent) * 100),
            voucher_valid_days=settings.bill_voucher_valid_days,
        )


async def create_programme(
    clock: Clock, rules: BillRules, by_user_id: int, name: str, pool_id: int,
    min_drop_percent: Decimal | None = None, voucher_valid_days: int | None = None,
) -> BillProgramme:  # fmt: skip
    """A programme paying vouchers from a capped pool in fen."""
    await usable_pool(pool_id, needs_fen=True)
    return await BillProgramme.create(
        name=name, pool_id=pool_id,
        min_drop_bp=rules.min_drop_bp if min_drop_percent is None else int(min_drop_percent * 100),
        voucher_valid_days=voucher_valid_days or rules.voucher_valid_days,
        created_by_id=by_user_id, created_at=clock.now(),
    )  # fmt: skip


async def get_programme(programme_id: int) -> BillProgramme:
    """One programme, or ProgrammeNotFound."""
    found = await BillProgramme.get_or_none(id=programme_id)
    if found is None:
        raise ProgrammeNotFound(f"no bill-drop programme {programme_id}")
    return found


async def list_programmes() -> list[BillProgramme]:
    """Every programme, newest first."""
    return list(await BillProgramme.all().order_by("-id").limit(100))


async def sign_up(clock: Clock, user_id: int, programme_id: int, account_ref: str) -> BillHousehold:
    """Sign a household up under the account number of its power bill."""
    await get_programme(programme_id)
    try:
        return await BillHousehold.create(
            programme_id=programme_id, user_id=user_id, account_ref=account_ref,
            signed_up_at=clock.now(),
        )  # fmt: skip
    except IntegrityError:
        raise AccountTaken(f"account {account_ref!r} or this player is signed up") from None
