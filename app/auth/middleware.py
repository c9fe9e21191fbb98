"""Bearer-token authentication for HTTP and websockets, and role guards."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from app.auth.rules import user_for_session, user_for_token
from app.auth.tickets import redeem_ws_ticket

# Paths served without a token.
PUBLIC_PATHS = [
    "^/health$",
    "^/ready$",
    "^/metrics$",
    "^/schema",
    "^/api/v1/auth/(register|login|refresh)$",
    "^/api/v1/scenarios$",
    "^/api/v1/species(/|$)",
    "^/api/v1/certificates/",
    "^/api/v1/topics$",
    # Photo files: unguessable names, served to <img> tags that carry no token.
    "^/api/v1/media/",
    # Partner platforms are machines: each call is signed instead (docs/partners.md).
    "^/api/v1/partner/",
]


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token from `Authorization: Bearer …` (never from the URL, which lands in logs)."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller from an access token whose session is still open."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        """Reject the request unless the token names a live session."""
        state = connection.app.state
        ticket = connection.query_params.get("ticket")
        if connection.scope["type"] == ScopeType.WEBSOCKET and ticket:
            return await _by_ticket(connection, ticket)
        token = bearer_token(connection)
        if not token:
            raise NotAuthorizedException("A bearer token is required")
        user = await user_for_token(state.settings, state.clock, token)
        if user is None:
            raise NotAuthorizedException("The token is invalid, expired or revoked")
        return AuthenticationResult(user=user, auth=token)


async def _by_ticket(
    connection: ASGIConnection[Any, Any, Any, Any], ticket: str
) -> AuthenticationResult:
    """A websocket handshake with a single-use ticket from POST /api/v1/ws/tickets."""
    state = connection.app.state
    issued = await redeem_ws_ticket(state.redis, state.settings, ticket)
    user = await user_for_session(state.clock, *issued) if issued else None
    if user is None:
        raise NotAuthorizedException("The ticket is unknown, used or expired")
    return AuthenticationResult(user=user, auth=None)
