"""Account deletion: asked for now, erased after a grace period by the worker.

`DELETE /api/v1/me` records the request and logs the player out everywhere; logging in again
within `GREENSPARK_ACCOUNT_DELETION_GRACE_SECONDS` cancels it. After that the worker erases the
account in one transaction: every domain deletes or blanks its personal rows (the reactions to
`account_erased`, connected in app/domains.py), the user row is pseudonymised, and files go after
the commit. Ledgers, plantings and other players' rows stay, so every total still reconciles.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient

from app.privacy.models import AccountDeletion
from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict
from core.events import OutboxEvent
from core.hooks import Hook
from core.media import MediaStore
from core.privacy import ERASED_DISPLAY_NAME, DeletionRequest, Erasure, forget_name_in_events
from core.settings import Settings
from core.users import User

# Fired when a player asks for deletion (the auth domain logs them out everywhere) and when an
# account is erased (every domain erases its part), in the transaction that records it.
deletion_requested: Hook[DeletionRequest] = Hook("account.deletion_requested")
account_erased: Hook[Erasure] = Hook("account.erased")

# An erased account's password hash: no password verifies against it.
UNUSABLE_PASSWORD = "!erased"  # noqa: S105  (a marker, not a secret)


class AccountErased(Conflict):
    """The account is already erased."""

    code = "account-erased"
    title = "This account has been erased"


async def request_deletion(clock: Clock, settings: Settings, user: User) -> DeletionRequest:
    """Schedule the caller's erasure after the grace period and end every session now."""
    now = clock.now()
    request = DeletionRequest(
        user_id=user.id,
        at=now,
        erase_after=now + timedelta(seconds=settings.account_deletion_grace_seconds),
    )
    async with in_transaction() as conn:
        existing = (
            await AccountDeletion.filter(user_id=user.id).using_db(conn).select_for_update().first()
        )
        if existing is not None and existing.erased_at is not None:
            raise AccountErased()
        if existing is None:
            await AccountDeletion.create(
                using_db=conn,
                user_id=user.id,
                requested_at=now,
                erase_after=request.erase_after,
            )
        else:
            request = DeletionRequest(user.id, existing.requested_at, existing.erase_after)
        await deletion_requested.fire(conn, request)
    return request


async def cancel_deletion(conn: BaseDBAsyncClient, user_id: int) -> None:
    """A login within the grace period keeps the account (connected to the login hook)."""
    await AccountDeletion.filter(user_id=user_id, erased_at__isnull=True).using_db(conn).delete()


async def erase_due_accounts(
    clock: Clock, media: MediaStore, settings: Settings, limit: int = 100
) -> int:
    """Erase accounts whose grace period is over; returns how many (the worker's job)."""
    due = cast(
        list[int],
        await AccountDeletion.filter(erased_at__isnull=True, erase_after__lte=clock.now())
        .order_by("erase_after")
        .limit(limit)
        .values_list("user_id", flat=True),
    )
    erased = 0
    for user_id in due:
        erased += await erase_account(clock, media, settings, user_id)
    return erased


async def erase_account(clock: Clock, media: MediaStore, settings: Settings, user_id: int) -> int:
    """Erase one account now, once (1), or nothing when it is no longer due (0)."""
    now = clock.now()
    async with in_transaction() as conn:
        claimed = (
            await AccountDeletion.filter(user_id=user_id, erased_at__isnull=True)
            .using_db(conn)
            .update(erased_at=now)
        )
        if not claimed:
            return 0
        erasure = Erasure(user_id, now, media, settings.data_dir / "cache")
        await account_erased.fire(conn, erasure)
        await OutboxEvent.filter(user_id=user_id).using_db(conn).delete()
        await forget_name_in_events(conn, OutboxEvent._meta.db_table, user_id)
        await (
            User.filter(id=user_id)
            .using_db(conn)
            .update(
                username=f"deleted-{user_id}",
                display_name=ERASED_DISPLAY_NAME,
                password_hash=UNUSABLE_PASSWORD,
                suspended_until=None,
            )
        )
    return 1
