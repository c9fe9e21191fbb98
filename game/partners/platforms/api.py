"""HTTP endpoints of partner platforms: admins register, rotate and revoke; players list them."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.guards import requires_role
from core.params import IntId
from game.carbon.catalog import Catalog
from game.partners.platforms.keys import SecretBox, keys_of, revoke_key, rotate_secret
from game.partners.platforms.registry import (
    NewPartner,
    PartnerRules,
    get_partner,
    list_partners,
    register_partner,
)
from game.partners.platforms.schemas import (
    KeyOut,
    PartnerCreatedOut,
    PartnerIn,
    PartnerOut,
    PartnerPublicOut,
    RevokeIn,
    RotationOut,
    key_out,
    new_key_out,
    partner_out,
    partner_public_out,
)

ADMINS = [requires_role()]
KeyId = Annotated[str, Parameter(min_length=1, max_length=40)]


class PlatformsController(Controller):
    """Partner platforms and their keys (admins); the list of platforms (players)."""

    tags = ["partners: admin"]

    @post(
        "/api/v1/admin/partners",
        guards=ADMINS,
        status_code=HTTP_201_CREATED,
        summary="Register a partner platform (its first secret is shown once)",
    )
    async def register(
        self,
        data: JSONBody[PartnerIn],
        clock: NamedDependency[Clock],
        catalog: NamedDependency[Catalog],
        partner_rules: NamedDependency[PartnerRules],
        partner_secrets: NamedDependency[SecretBox],
    ) -> PartnerCreatedOut:
        """The platform, the scenarios it may report, its time zone, contact and limits."""
        given = NewPartner(
            name=data.name,
            timezone=data.timezone,
            contact=data.contact,
            scenarios=data.scenarios,
            meter_readings=data.meter_readings,
            scopes=list(data.scopes),
            daily_budget_grams=data.daily_budget_grams,
            requests_per_minute=data.requests_per_minute,
        )
        made = await register_partner(clock, partner_secrets, catalog, partner_rules, given)
        shown = partner_out(made.platform, [made.issued.key], clock.now())
        return PartnerCreatedOut(partner=shown, key=new_key_out(made.issued))

    @get("/api/v1/admin/partners", guards=ADMINS, summary="Partner platforms and their keys")
    async def list_all(self, clock: NamedDependency[Clock]) -> list[PartnerOut]:
        """Every platform with its keys' status (never their secrets)."""
        now = clock.now()
        return [partner_out(p, await keys_of(p.id), now) for p in await list_partners()]

    @get("/api/v1/admin/partners/{partner_id:int}", guards=ADMINS, summary="One partner platform")
    async def get_one(self, partner_id: IntId, clock: NamedDependency[Clock]) -> PartnerOut:
        """A platform with its keys."""
        platform = await get_partner(partner_id)
        return partner_out(platform, await keys_of(platform.id), clock.now())

    @post(
        "/api/v1/admin/partners/{partner_id:int}/rotate-secret",
        guards=ADMINS,
        status_code=HTTP_201_CREATED,
        summary="Issue a new key; older keys keep working for the overlap",
    )
    async def rotate(
        self,
        partner_id: IntId,
        clock: NamedDependency[Clock],
        partner_rules: NamedDependency[PartnerRules],
        partner_secrets: NamedDependency[SecretBox],
    ) -> RotationOut:
        """The new key with its secret (shown once) and when each older key stops."""
        rotation = await rotate_secret(
            clock, partner_secrets, partner_id, partner_rules.key_overlap
        )
        now = clock.now()
        return RotationOut(
            key=new_key_out(rotation.issued), retiring=[key_out(k, now) for k in rotation.retiring]
        )

    @post(
        "/api/v1/admin/partners/{partner_id:int}/keys/{key_id:str}/revoke",
        guards=ADMINS,
        status_code=HTTP_200_OK,
        summary="Revoke a key at once",
    )
    async def revoke(
        self,
        partner_id: IntId,
        key_id: KeyId,
        clock: NamedDependency[Clock],
        data: JSONBody[RevokeIn | None] = None,
    ) -> KeyOut:
        """The key stops signing calls now; a revoked key stays revoked."""
        reason = data.reason if data else ""
        key = await revoke_key(clock, key_id, reason, platform_id=partner_id)
        return key_out(key, clock.now())

    @get(
        "/api/v1/partners",
        summary="Partner platforms a player can share data with",
        tags=["partners"],
    )
    async def public_list(self) -> list[PartnerPublicOut]:
        """Each platform with the scenarios it reports and whether it sends meter readings."""
        return [partner_public_out(p) for p in await list_partners()]
