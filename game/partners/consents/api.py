"""HTTP endpoints of consents: a player links, lists and revokes what partners may report."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit
from core.users import User
from game.partners.consents.grants import (
    NewConsent,
    consents_page,
    grant_consent,
    revoke_consent,
)
from game.partners.consents.schemas import ConsentIn, ConsentOut, ConsentPage, consent_out

PartnerIdQuery = Annotated[int, Parameter(ge=1, le=2**31 - 1, description="The partner to revoke")]


class ConsentsController(Controller):
    """My consents to partner platforms."""

    tags = ["partners"]

    @get("/api/v1/me/consents", summary="My consents to partners, current and past")
    async def my_consents(
        self, request: Request[User, Any, Any], cursor: Cursor = None, limit: Limit = 20
    ) -> ConsentPage:
        """Newest first; a revoked or replaced consent stays in the list with its `revoked_at`."""
        views, next_id = await consents_page(request.user.id, decode_cursor(cursor), limit)
        return ConsentPage(
            items=[consent_out(v) for v in views], next_cursor=encode_cursor(next_id)
        )

    @post(
        "/api/v1/me/consents",
        status_code=HTTP_201_CREATED,
        summary="Let a partner report for me (replaces my current consent to it)",
    )
    async def grant(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[ConsentIn],
        clock: NamedDependency[Clock],
    ) -> ConsentOut:
        """Which partner, under which account reference there, for which scenarios."""
        given = NewConsent(
            platform_id=data.partner_id,
            user_ref=data.user_ref,
            scenarios=data.scenarios,
            meter_readings=data.meter_readings,
        )
        return consent_out(await grant_consent(clock, request.user.id, given))

    @delete(
        "/api/v1/me/consents",
        status_code=HTTP_200_OK,
        summary="Revoke my consent to a partner (kept in the history)",
    )
    async def revoke(
        self,
        request: Request[User, Any, Any],
        partner_id: PartnerIdQuery,
        clock: NamedDependency[Clock],
    ) -> ConsentOut:
        """From now on the partner's reports for me are refused."""
        return consent_out(await revoke_consent(clock, request.user.id, partner_id))
