"""HTTP endpoints for accounts: register, login, refresh, logout, me."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from app.auth.rules import (
    InvalidCredentials,
    TokenPair,
    create_user,
    log_in,
    log_out,
    refresh_session,
)
from app.auth.schemas import LoginIn, RefreshIn, RegisterIn, TicketOut, TokensOut, UserOut
from app.auth.tickets import issue_ws_ticket
from app.privacy.erasure import request_deletion
from app.privacy.schemas import DeletionOut
from core.clock import Clock
from core.errors import Limited
from core.params import RedisClient
from core.ratelimit import count_hit, forget, peek
from core.settings import Settings
from core.users import User


class TooManyLogins(Limited):
    """Too many login attempts for this account or from this address."""

    code = "too-many-login-attempts"
    title = "Too many login attempts"


def user_out(user: User) -> UserOut:
    """The profile shape of a user."""
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=str(user.role),
        timezone=user.timezone,
        region=user.region,
        created_at=user.created_at,
    )


def tokens_out(pair: TokenPair, clock: Clock) -> TokensOut:
    """The token shape of a token pair."""
    return TokensOut(
        access_token=pair.access_token,
        access_expires_at=pair.access_expires_at,
        expires_in=int((pair.access_expires_at - clock.now()).total_seconds()),
        refresh_token=pair.refresh_token,
        refresh_expires_at=pair.refresh_expires_at,
    )


class AuthController(Controller):
    """Accounts and sessions."""

    path = "/api/v1/auth"
    tags = ["auth"]

    @post("/register", summary="Create a player account")
    async def register(
        self,
        data: JSONBody[RegisterIn],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> UserOut:
        """Register a new player; usernames are unique ignoring case."""
        user = await create_user(
            settings,
            clock,
            username=data.username,
            password=data.password,
            display_name=data.display_name,
            timezone=data.timezone,
            region=data.region,
        )
        return user_out(user)

    @post("/login", status_code=HTTP_200_OK, summary="Log in and receive tokens")
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginIn],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
        redis: RedisClient,
    ) -> TokensOut:
        """Exchange a username and password for tokens; attempts are rate-limited."""
        window = settings.login_window_seconds
        address = request.client.host if request.client else "unknown"
        address_key = f"{settings.redis_prefix}ratelimit:login:address:{address}"
        account_key = f"{settings.redis_prefix}ratelimit:login:account:{data.username.lower()}"
        by_address = await count_hit(redis, address_key, window)
        if by_address.count > settings.login_attempts_per_address:
            raise TooManyLogins(
                "too many attempts from this address", retry_after=by_address.retry_after
            )
        failures = await peek(redis, account_key)
        if failures.count >= settings.login_failures_per_account:
            raise TooManyLogins(
                "too many failed attempts for this account", retry_after=failures.retry_after
            )
        try:
            pair = await log_in(settings, clock, data.username, data.password)
        except InvalidCredentials:
            await count_hit(redis, account_key, window)
            raise
        await forget(redis, account_key)
        return tokens_out(pair, clock)

    @post("/refresh", status_code=HTTP_200_OK, summary="Rotate a refresh token")
    async def refresh(
        self,
        data: JSONBody[RefreshIn],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
    ) -> TokensOut:
        """Trade a refresh token for a new pair; each refresh token works once."""
        return tokens_out(await refresh_session(settings, clock, data.refresh_token), clock)

    @post("/logout", status_code=HTTP_204_NO_CONTENT, summary="End this session")
    async def logout(self, request: Request[User, Any, Any], clock: NamedDependency[Clock]) -> None:
        """Revoke the caller's session: its access and refresh tokens stop working."""
        await log_out(clock, request.user.session_id)


class MeController(Controller):
    """The caller's own profile."""

    path = "/api/v1/me"
    tags = ["auth"]

    @get("", summary="Who am I")
    async def me(self, request: Request[User, Any, Any]) -> UserOut:
        """The caller's profile."""
        return user_out(request.user)

    @delete("", status_code=HTTP_202_ACCEPTED, summary="Delete my account (after a grace period)")
    async def delete_account(
        self,
        request: Request[User, Any, Any],
        clock: NamedDependency[Clock],
        settings: NamedDependency[Settings],
    ) -> DeletionOut:
        """Log out everywhere now; the account is erased after the grace period unless I log in."""
        scheduled = await request_deletion(clock, settings, request.user)
        return DeletionOut("scheduled", scheduled.at, scheduled.erase_after)


class TicketController(Controller):
    """Passes for the websocket handshake, so that no token travels in a URL."""

    path = "/api/v1/ws/tickets"
    tags = ["realtime"]

    @post("", summary="A single-use ticket for the websocket handshake")
    async def issue(
        self,
        request: Request[User, Any, Any],
        settings: NamedDependency[Settings],
        clock: NamedDependency[Clock],
        redis: RedisClient,
    ) -> TicketOut:
        """Connect within `expires_in` seconds to `/api/v1/ws?ticket=…`; it works once."""
        ticket = await issue_ws_ticket(
            redis, settings, clock, request.user.id, request.user.session_id
        )
        return TicketOut(
            ticket=ticket.ticket,
            expires_at=ticket.expires_at,
            expires_in=settings.ws_ticket_seconds,
        )
