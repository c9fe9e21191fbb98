"""Merchants: who may take vouchers, taking a code exactly once, and each merchant's own
redemptions (docs/store.md#merchants)."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Forbidden, Gone, NotFound
from core.events import EventSink
from core.users import Role, User
from game.rewards.grants import voucher_state
from game.rewards.models import Voucher, VoucherStatus
from game.store.models import Merchant, MerchantMember


class MerchantNotFound(NotFound):
    """No such merchant."""

    code = "merchant-not-found"
    title = "Merchant not found"


class MerchantNameTaken(Conflict):
    """Another merchant has this name."""

    code = "merchant-name-taken"
    title = "A merchant with this name exists"


class NotAMerchant(Forbidden):
    """The user is not attached to any merchant."""

    code = "not-a-merchant"
    title = "You do not redeem vouchers for any merchant"


class UserNotFound(NotFound):
    """No such user."""

    code = "user-not-found"
    title = "User not found"


class StaffCannotBeMerchant(Conflict):
    """Staff accounts keep their role: a merchant's till gets an account of its own."""

    code = "staff-cannot-be-merchant"
    title = "A staff account cannot redeem vouchers for a merchant"


class VoucherNotFound(NotFound):
    """No voucher with this code that this merchant may take."""

    code = "voucher-not-found"
    title = "Voucher not found"


class VoucherAlreadyRedeemed(Conflict):
    """The voucher was taken already."""

    code = "voucher-already-redeemed"
    title = "This voucher has already been redeemed"


class VoucherExpired(Gone):
    """The voucher's life is over."""

    code = "voucher-expired"
    title = "This voucher has expired"


class VoucherVoid(Conflict):
    """The voucher was voided."""

    code = "voucher-void"
    title = "This voucher is void"


async def create_merchant(clock: Clock, name: str) -> Merchant:
    """A merchant that can take vouchers."""
    try:
        return await Merchant.create(name=name, created_at=clock.now())
    except IntegrityError:
        raise MerchantNameTaken(f"a merchant is called {name!r}") from None


async def list_merchants() -> list[Merchant]:
    """Every merchant, oldest first."""
    return list(await Merchant.all().order_by("id"))


async def attach_member(merchant_id: int, user_id: int) -> MerchantMember:
    """Let a user redeem vouchers for a merchant: they get the merchant role."""
    if not await Merchant.exists(id=merchant_id):
        raise MerchantNotFound(f"no merchant {merchant_id}")
    async with in_transaction() as conn:
        # Only a player's or a merchant's account changes role: making a moderator, manager or
        # admin a merchant would take their staff rights away by a side door.
        allowed = User.filter(id=user_id, role__in=(Role.PLAYER, Role.MERCHANT))
        if await allowed.using_db(conn).update(role=Role.MERCHANT) == 0:
            if await User.filter(id=user_id).using_db(conn).exists():
                raise StaffCannotBeMerchant(f"user {user_id} is staff")
            raise UserNotFound(f"no user {user_id}")
        await MerchantMember.filter(user_id=user_id).using_db(conn).delete()
        return await MerchantMember.create(using_db=conn, user_id=user_id, merchant_id=merchant_id)


async def merchant_of(user_id: int) -> int:
    """The merchant a user redeems for, or NotAMerchant."""
    member = await MerchantMember.get_or_none(user_id=user_id)
    if member is None:
        raise NotAMerchant()
    return member.merchant_id


async def redeem_voucher(clock: Clock, events: EventSink, user_id: int, code: str) -> Voucher:
    """Take a voucher at the merchant of `user_id`: exactly once, before it expires."""
    merchant_id = await merchant_of(user_id)
    now = clock.now()
    async with in_transaction() as conn:
        voucher = await Voucher.filter(code=code.upper()).using_db(conn).first()
        if voucher is None or voucher.redeemable_at_id not in (None, merchant_id):
            raise VoucherNotFound("no voucher with this code for this merchant")
        _require_redeemable(voucher, now)
        # The guard is in the UPDATE: of two merchants scanning one code, one takes it.
        taken = (
            await Voucher.filter(id=voucher.id, status=VoucherStatus.ISSUED)
            .using_db(conn)
            .update(status=VoucherStatus.REDEEMED, redeemed_at=now, merchant_id=merchant_id)
        )
        if not taken:
            # Taken or voided meanwhile: answer what it has become.
            await voucher.refresh_from_db(using_db=conn)
            _require_redeemable(voucher, now)
            raise VoucherAlreadyRedeemed()
        await voucher.refresh_from_db(using_db=conn)
        await events.publish(
            conn, voucher.owner_id, "voucher.redeemed",
            {"code": voucher.code, "face_value_fen": voucher.face_value_fen,
             "merchant_id": merchant_id},
        )  # fmt: skip
    return voucher


async def void_voucher(
    clock: Clock, events: EventSink, by_user_id: int, code: str, reason: str
) -> Voucher:
    """Void an issued voucher (docs/store.md#voiding-a-voucher): nobody may take it after.

    Nothing is refunded: not the price of a store voucher, not a pool's budget. Voiding a void
    voucher again changes nothing; a redeemed voucher cannot be voided.
    """
    now = clock.now()
    async with in_transaction() as conn:
        voucher = await Voucher.filter(code=code.upper()).using_db(conn).first()
        if voucher is None:
            raise VoucherNotFound("no voucher with this code")
        # The guard is in the UPDATE: a till taking the code at this moment wins or loses whole.
        voided = (
            await Voucher.filter(id=voucher.id, status=VoucherStatus.ISSUED)
            .using_db(conn)
            .update(
                status=VoucherStatus.VOID, voided_at=now, voided_by_id=by_user_id,
                void_reason=reason,
            )
        )  # fmt: skip
        await voucher.refresh_from_db(using_db=conn)
        if not voided:
            if voucher.status == VoucherStatus.VOID:
                return voucher
            raise VoucherAlreadyRedeemed(
                redeemed_at=voucher.redeemed_at.isoformat() if voucher.redeemed_at else None
            )
        await events.publish(
            conn, voucher.owner_id, "voucher.voided",
            {"code": voucher.code, "face_value_fen": voucher.face_value_fen, "reason": reason},
        )  # fmt: skip
    return voucher


def _require_redeemable(voucher: Voucher, now: datetime) -> None:
    state = voucher_state(voucher, now)
    if state == "redeemed":
        raise VoucherAlreadyRedeemed(
            redeemed_at=voucher.redeemed_at.isoformat() if voucher.redeemed_at else None
        )
    if state == "void":
        raise VoucherVoid()
    if state == "expired":
        raise VoucherExpired(expired_at=voucher.expires_at.isoformat())


async def merchant_redemptions(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[Voucher], int | None]:
    """The vouchers this user's merchant took, newest first (never another merchant's)."""
    merchant_id = await merchant_of(user_id)
    query = Voucher.filter(merchant_id=merchant_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = list(await query.order_by("-id").limit(limit + 1))
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)


async def my_vouchers(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[Voucher], int | None]:
    """A player's vouchers, granted or bought, newest first."""
    query = Voucher.filter(owner_id=user_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = list(await query.order_by("-id").limit(limit + 1))
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)
