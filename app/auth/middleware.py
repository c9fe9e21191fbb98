"""Bearer-token authentication for HTTP and websockets, and role guards."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from app.auth.rules import user_for_token

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
    """The token from `Authorization: Bearer …`, or `?token=` on a websocket handshake."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if connection.scope["type"] == ScopeType.WEBSOCKET:
        return connection.query_params.get("token")
    return None


class TokenAuthMiddleware(AbstractAuthenticationMiddleware):
    """Resolves the caller from an access token whose session is still open."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        """Reject the request unless the token names a live session."""
        token = bearer_token(connection)
        if not token:
            raise NotAuthorizedException("A bearer token is required")
        state = connection.app.state
        user = await user_for_token(state.settings, state.clock, token)
        if user is None:
            raise NotAuthorizedException("The token is invalid, expired or revoked")
        return AuthenticationResult(user=user, auth=token)
