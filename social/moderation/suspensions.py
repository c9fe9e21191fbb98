"""Suspensions: a suspended player cannot post, comment, steal or water until it ends."""

from __future__ import annotations

from app.auth.models import User
from game.clock import Clock
from game.errors import Forbidden


class AccountSuspended(Forbidden):
    """A moderator suspended this account for a while."""

    code = "account-suspended"
    title = "Your account is suspended"


def require_not_suspended(user: User, clock: Clock) -> None:
    """Refuse with AccountSuspended while the player's suspension lasts."""
    until = user.suspended_until
    if until is not None and until > clock.now():
        raise AccountSuspended(
            f"suspended until {until.isoformat()}", suspended_until=until.isoformat()
        )
