"""Role guards for controllers: who may call a route beyond being logged in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from core.users import Role, User


def requires_role(
    *roles: Role,
) -> Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]:
    """A guard that lets through only users holding one of `roles` (admins always pass)."""
    allowed = {*roles, Role.ADMIN}

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.user
        if not isinstance(user, User) or user.role not in allowed:
            raise PermissionDeniedException("Your role does not allow this")

    return guard
