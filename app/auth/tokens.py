"""Access tokens (short-lived JWTs signed against the injectable clock) and refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from core.clock import Clock

ALGORITHM = "HS256"


class InvalidAccessToken(Exception):
    """The bearer token is malformed, forged or expired."""


@dataclass(frozen=True)
class AccessClaims:
    """What an access token says about its bearer."""

    user_id: int
    session_id: str
    expires_at: datetime


def issue_access_token(
    key: str, clock: Clock, ttl: timedelta, user_id: int, session_id: str
) -> tuple[str, datetime]:
    """Sign an access token for a user's session; returns it with its expiry."""
    now = clock.now()
    expires_at = now + ttl
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "typ": "access",
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM), expires_at


def read_access_token(key: str, clock: Clock, token: str) -> AccessClaims:
    """Verify a token's signature, then its expiry against our clock (not the wall clock)."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "require": ["sub", "sid", "exp"]},
        )
        expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
        user_id = int(claims["sub"])
        session_id = str(uuid.UUID(str(claims["sid"])))
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise InvalidAccessToken(str(exc)) from exc
    if claims.get("typ") != "access":
        raise InvalidAccessToken("not an access token")
    if expires_at <= clock.now():
        raise InvalidAccessToken("token expired")
    return AccessClaims(user_id=user_id, session_id=session_id, expires_at=expires_at)


def new_refresh_token() -> str:
    """A random, unguessable refresh token."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    """The only form in which a refresh token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()
