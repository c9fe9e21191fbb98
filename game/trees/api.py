"""HTTP endpoints of species, the tree a player grows, plantings and their certificates."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED

from app.auth.models import User
from app.params import Cursor, IntId, Limit, RowId
from app.settings import Settings
from game.clock import Clock
from game.energy.models import EnergyAccount
from game.events import EventSink
from game.paging import decode_cursor, encode_cursor
from game.trees.certificates import (
    RenderCache,
    certificate_by_code,
    planting_certificate,
)
from game.trees.deps import IMAGE_HEADERS, TREE_DEPENDENCIES
from game.trees.forest import forest_card
from game.trees.media import read_photo
from game.trees.plantings import (
    apply_to_plant,
    my_plantings,
    planting_history,
    visible_planting,
)
from game.trees.reports import PHOTO_FOLDER
from game.trees.schemas import (
    CertificateOut,
    PlantIn,
    PlantingOut,
    PlantingPageOut,
    SpeciesOut,
    TreeIn,
    TreeOut,
    planting_out,
    species_out,
    tree_out,
)
from game.trees.species import SpeciesCatalog, UnknownSpecies, choose_tree, tree_of

StageFile = Annotated[str, Parameter(pattern=r"^[0-9]{1,2}\.png$", description="e.g. 3.png")]
SpeciesPath = Annotated[str, Parameter(pattern=r"^[a-z0-9_]{1,32}$")]
CodePath = Annotated[str, Parameter(pattern=r"^[A-Za-z0-9 -]{4,40}$")]


def _png(image: bytes, cached: bool | None = None) -> Response[bytes]:
    headers = dict(IMAGE_HEADERS)
    if cached is not None:
        headers["X-Render-Cache"] = "hit" if cached else "miss"
    return Response(image, media_type="image/png", headers=headers)


async def _balance(user_id: int) -> int:
    account = await EnergyAccount.get_or_none(user_id=user_id)
    return account.balance if account else 0


class TreesController(Controller):
    """Species, my tree, my plantings and certificates."""

    tags = ["trees"]
    dependencies = TREE_DEPENDENCIES

    @get("/api/v1/species", summary="The species catalog")
    async def list_species(
        self, species_catalog: NamedDependency[SpeciesCatalog]
    ) -> list[SpeciesOut]:
        """Every species: its energy cost (= its carbon sink), region, partner and growth stages."""
        stages = [(s.stage, s.name, s.from_permille) for s in species_catalog.stages]
        return [species_out(s, stages) for s in species_catalog.all()]

    @get(
        "/api/v1/species/{code:str}/stages/{file:str}",
        summary="A species at a growth stage (PNG)",
        media_type="image/png",
    )
    async def stage_art(
        self, code: SpeciesPath, file: StageFile, species_catalog: NamedDependency[SpeciesCatalog]
    ) -> Response[bytes]:
        """The art of one species at one growth stage."""
        found = species_catalog.get(code)
        stage = int(re.sub(r"\.png$", "", file))
        if stage >= len(species_catalog.stages):
            raise UnknownSpecies(f"{found.name} has no stage {stage}")
        return Response(
            found.stage_art(stage).read_bytes(),
            media_type="image/png",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @get("/api/v1/me/tree", summary="My tree")
    async def my_tree(
        self, request: Request[User, Any, Any], species_catalog: NamedDependency[SpeciesCatalog]
    ) -> TreeOut:
        """The species I am growing and its growth stage from my balance."""
        user_id = request.user.id
        return tree_out(await tree_of(species_catalog, user_id, await _balance(user_id)))

    @put("/api/v1/me/tree", summary="Choose the species I grow")
    async def choose(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[TreeIn],
        clock: NamedDependency[Clock],
        species_catalog: NamedDependency[SpeciesCatalog],
    ) -> TreeOut:
        """Pick the species my forest grows; its stage follows my balance."""
        user_id = request.user.id
        await choose_tree(clock, species_catalog, user_id, data.species)
        return tree_out(await tree_of(species_catalog, user_id, await _balance(user_id)))

    @post(
        "/api/v1/plantings",
        status_code=HTTP_201_CREATED,
        summary="Apply to plant a real tree",
        opt={"idempotent": True},
    )
    async def plant(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[PlantIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        species_catalog: NamedDependency[SpeciesCatalog],
    ) -> PlantingOut:
        """Spend the species' cost and get a tree allocated from a project with quota left."""
        planting = await apply_to_plant(
            clock, events, species_catalog, request.user.id, data.species, data.project_id
        )
        await planting.fetch_related("project")
        return planting_out(planting, await planting_history(planting.id))

    @get("/api/v1/plantings", summary="My plantings")
    async def list_plantings(
        self, request: Request[User, Any, Any], cursor: Cursor = None, limit: Limit = 20
    ) -> PlantingPageOut:
        """Trees I am named on (alone or co-planted), newest first."""
        rows, next_id = await my_plantings(request.user.id, decode_cursor(cursor), limit)
        return PlantingPageOut(
            items=[planting_out(p) for p in rows], next_cursor=encode_cursor(next_id)
        )

    @get("/api/v1/plantings/{planting_id:int}", summary="One planting and its history")
    async def get_planting(
        self, request: Request[User, Any, Any], planting_id: RowId
    ) -> PlantingOut:
        """A planting I am named on (or report or oversee), with every status it has had."""
        planting = await visible_planting(request.user, planting_id)
        return planting_out(planting, await planting_history(planting.id))

    @get(
        "/api/v1/plantings/{planting_id:int}/certificate.png",
        summary="The certificate of a planting (PNG)",
        media_type="image/png",
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
        return _png(image, cached)

    @get(
        "/api/v1/plantings/{planting_id:int}/photo",
        summary="The partner's photo of a planted tree",
        media_type="image/jpeg",
    )
    async def photo(
        self,
        request: Request[User, Any, Any],
        planting_id: RowId,
        settings: NamedDependency[Settings],
    ) -> Response[bytes]:
        """The photo the partner sent, re-encoded without its metadata."""
        planting = await visible_planting(request.user, planting_id)
        image, media_type = await asyncio.to_thread(
            read_photo, settings.data_dir / "media", PHOTO_FOLDER, planting.photo
        )
        return Response(image, media_type=media_type, headers=IMAGE_HEADERS)

    @get(
        "/api/v1/forest/{user_id:int}/card.png",
        summary="A share card of a player's forest (PNG)",
        media_type="image/png",
    )
    async def card(
        self,
        request: Request[User, Any, Any],
        user_id: IntId,
        species_catalog: NamedDependency[SpeciesCatalog],
        render_cache: NamedDependency[RenderCache],
    ) -> Response[bytes]:
        """The player's tree and what their energy planted, protected and gave, as an image."""
        image, cached = await forest_card(render_cache, species_catalog, request.user.id, user_id)
        return _png(image, cached)

    @get("/api/v1/certificates/{code:str}", summary="Verify a certificate by its code")
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
