"""HTTP endpoints of certificates: the images of plantings and donations, public verification."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from core.params import RowId
from core.responses import png_response
from core.users import User
from game.trees.certificates.facts import (
    certificate_by_code,
    donation_certificate,
    planting_certificate,
)
from game.trees.certificates.schemas import CertificateOut
from game.trees.plantings.owners import visible_planting
from game.trees.render import RenderCache
from game.trees.species.catalog import SpeciesCatalog
from game.trees.welfare.donations import visible_donation

CodePath = Annotated[str, Parameter(pattern=r"^[A-Za-z0-9 -]{4,40}$")]


class CertificatesController(Controller):
    """Certificates of real trees and of donations, and checking one by its code."""

    @get(
        "/api/v1/plantings/{planting_id:int}/certificate.png",
        summary="The certificate of a planting (PNG)",
        media_type="image/png",
        tags=["trees"],
    )
    async def certificate(
        self,
        request: Request[User, Any, Any],
        planting_id: RowId,
        species_catalog: NamedDependency[SpeciesCatalog],
        render_cache: NamedDependency[RenderCache],
    ) -> Response[bytes]:
        """The certificate at the planting's current status; rendered once, then cached."""
        planting = await visible_planting(request.user, planting_id)
        image, cached = await planting_certificate(render_cache, species_catalog, planting)
        return png_response(image, cached)

    @get(
        "/api/v1/donations/{donation_id:int}/certificate.png",
        summary="The certificate of a donation (PNG)",
        media_type="image/png",
        tags=["trees: welfare"],
    )
    async def donation_certificate(
        self,
        request: Request[User, Any, Any],
        donation_id: RowId,
        species_catalog: NamedDependency[SpeciesCatalog],
        render_cache: NamedDependency[RenderCache],
    ) -> Response[bytes]:
        """The donation certificate; rendered once, then cached."""
        donation = await visible_donation(request.user, donation_id)
        image, cached = await donation_certificate(render_cache, species_catalog, donation)
        return png_response(image, cached)

    @get(
        "/api/v1/certificates/{code:str}",
        summary="Verify a certificate by its code",
        tags=["trees"],
    )
    async def verify_certificate(
        self, code: CodePath, species_catalog: NamedDependency[SpeciesCatalog]
    ) -> CertificateOut:
        """Public: what the planting or donation certificate with this code states today."""
        kind, facts = await certificate_by_code(species_catalog, code)
        return CertificateOut(
            kind=kind,
            code=facts.code,
            title=facts.title,
            names=list(facts.names),
            headline=facts.headline,
            details=list(facts.rows),
        )
