"""Account rules: create users, log in, rotate refresh tokens, log out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from app.auth.cache import ONE_SESSION_ENDED, SESSIONS
from app.auth.models import AuthSession, RefreshToken
from app.auth.passwords import hash_password, verify_against_nothing, verify_password
from app.auth.tokens import (
    InvalidAccessToken,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    read_access_token,
)
from core.clock import Clock, is_place_timezone
from core.db import in_transaction
from core.errors import Conflict, Invalid, Unauthorized
from core.hooks import Hook
from core.settings import Settings
from core.users import Role, User

# Fired in the registration's transaction with the new user's id; the game opens their energy
# account in reaction (connected in app/domains.py).
player_registered: Hook[int] = Hook("player.registered")
# Fired in a login's transaction with the user's id: a login within the grace period of a
# deletion request cancels it (app/privacy, connected in app/domains.py).
player_logged_in: Hook[int] = Hook("player.logged_in")


class UsernameTaken(Conflict):
    """Usernames are unique, ignoring case."""

    code = "username-taken"
    title = "That username is taken"


class UnknownTimezone(Invalid):
    """Time zones are IANA names such as Asia/Shanghai."""

    code = "unknown-timezone"
    title = "Unknown time zone"


class InvalidCredentials(Unauthorized):
    """Username or password is wrong; which one is not said."""

    code = "invalid-credentials"
    title = "Wrong username or password"


class InvalidRefreshToken(Unauthorized):
    """The refresh token is unknown, used, revoked or expired."""

    code = "invalid-refresh-token"
    title = "The refresh token is not valid"


@dataclass(frozen=True)
class TokenPair:
    """What a login or a refresh hands the client."""

    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    session_id: str


async def create_user(
    settings: Settings,
    clock: Clock,
    *,
    username: str,
    password: str,
    role: Role = Role.PLAYER,
    display_name: str | None = None,
    timezone: str | None = None,
    region: str = "",
) -> User:
    """Create an account with an argon2id password hash; domains react to `player_registered`."""
    timezone = timezone or settings.default_timezone
    if not is_place_timezone(timezone):
        raise UnknownTimezone(f"{timezone!r} is not an IANA time zone")
    name = username.lower()
    if await User.filter(username=name).exists():
        raise UsernameTaken(f"{name!r} is taken")
    password_hash = await hash_password(
        password, settings.password_memory_kib, settings.password_time_cost
    )
    try:
        async with in_transaction() as conn:
            user = await User.create(
                using_db=conn,
                username=name,
                display_name=display_name or username,
                password_hash=password_hash,
                role=role,
                timezone=timezone,
                region=region,
                created_at=clock.now(),
            )
            await player_registered.fire(conn, user.id)
    except IntegrityError:
        raise UsernameTaken(f"{name!r} is taken") from None
    return user


async def log_in(settings: Settings, clock: Clock, username: str, password: str) -> TokenPair:
    """Check a password and open a session with a fresh token pair."""
    user = await User.get_or_none(username=username.lower())
    memory, rounds = settings.password_memory_kib, settings.password_time_cost
    if user is None:
        await verify_against_nothing(password, memory, rounds)
        raise InvalidCredentials()
    if not await verify_password(user.password_hash, password, memory, rounds):
        raise InvalidCredentials()
    now = clock.now()
    async with in_transaction() as conn:
        await User.filter(id=user.id).using_db(conn).update(last_seen_at=now)
        session = await AuthSession.create(
            using_db=conn,
            id=uuid.uuid4(),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.refresh_token_seconds),
        )
        refresh = new_refresh_token()
        await RefreshToken.create(
            using_db=conn,
            session_id=session.id,
            token_hash=hash_refresh_token(refresh),
            issued_at=now,
        )
        await player_logged_in.fire(conn, user.id)
    return _pair(settings, clock, user.id, session, refresh)


def _pair(
    settings: Settings, clock: Clock, user_id: int, session: AuthSession, refresh: str
) -> TokenPair:
    access, access_expires = issue_access_token(
        settings.signing_key,
        clock,
        timedelta(seconds=settings.access_token_seconds),
        user_id,
        str(session.id),
    )
    return TokenPair(
        access_token=access,
        access_expires_at=access_expires,
        refresh_token=refresh,
        refresh_expires_at=session.expires_at,
        session_id=str(session.id),
    )


async def refresh_session(settings: Settings, clock: Clock, refresh_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; a reused token revokes its whole session."""
    now = clock.now()
    async with in_transaction() as conn:
        stored = (
            await RefreshToken.filter(token_hash=hash_refresh_token(refresh_token))
            .using_db(conn)
            .select_for_update()
            .first()
        )
        if stored is None:
            raise InvalidRefreshToken()
        session = await AuthSession.filter(id=stored.session_id).using_db(conn).get()
        if session.revoked_at is not None or session.expires_at <= now:
            raise InvalidRefreshToken("the session has ended")
        rotated = (
            await RefreshToken.filter(id=stored.id, used_at__isnull=True)
            .using_db(conn)
            .update(used_at=now)
        )
        if rotated == 0:
            # Someone presented a token that was already rotated: assume theft.
            await _revoke(conn, session.id, now, "refresh-token-reuse")
            reuse = True
        else:
            reuse = False
            await User.filter(id=session.user_id).using_db(conn).update(last_seen_at=now)
            fresh = new_refresh_token()
            await RefreshToken.create(
                using_db=conn,
                session_id=session.id,
                token_hash=hash_refresh_token(fresh),
                issued_at=now,
            )
    if reuse:
        raise InvalidRefreshToken("the token was already used; the session is revoked")
    return _pair(settings, clock, session.user_id, session, fresh)


async def _revoke(conn: BaseDBAsyncClient, session_id: object, now: datetime, reason: str) -> None:
    await (
        AuthSession.filter(id=session_id, revoked_at__isnull=True)
        .using_db(conn)
        .update(revoked_at=now, revoked_reason=reason)
    )
    await SESSIONS.forget_everywhere(ONE_SESSION_ENDED, str(session_id))


async def log_out(clock: Clock, session_id: str) -> None:
    """End a session: its refresh tokens and access tokens stop working at once."""
    async with in_transaction() as conn:
        await _revoke(conn, session_id, clock.now(), "logout")


async def user_for_token(settings: Settings, clock: Clock, token: str) -> User | None:
    """The user behind an access token, if the token and its session are still good."""
    claims = SESSIONS.claims(token)
    if claims is None:
        try:
            claims = read_access_token(settings.signing_key, clock, token)
        except InvalidAccessToken:
            return None
        SESSIONS.remember_claims(token, claims)
    elif claims.expires_at <= clock.now():
        return None
    return await user_for_session(clock, claims.user_id, claims.session_id)


async def user_for_session(clock: Clock, user_id: int, session_id: str) -> User | None:
    """The user of a session that is still open (the session a websocket ticket names, say).

    Answered from the process's session cache when it can be (app/auth/cache.py).
    """
    now = clock.now()
    cached = SESSIONS.user(session_id, user_id, now)
    if cached is not None:
        return cached
    try:
        uuid.UUID(session_id)
    except ValueError:
        return None
    generation = SESSIONS.generation
    session = (
        await AuthSession.filter(
            id=session_id,
            user_id=user_id,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("user")
        .first()
    )
    if session is None:
        return None
    user: User = session.user
    user.session_id = session_id
    SESSIONS.remember(session_id, user, session.expires_at, now, generation)
    return user
