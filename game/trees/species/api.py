"""HTTP endpoints of the species catalog and of the tree a player grows."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, put
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter

from core.clock import Clock
from core.users import User
from game.energy.ledger import balance_of
from game.trees.species.catalog import SpeciesCatalog, stage_art_file
from game.trees.species.growth import choose_tree, tree_of
from game.trees.species.schemas import SpeciesOut, TreeIn, TreeOut, species_out, tree_out

StageFile = Annotated[str, Parameter(pattern=r"^[0-9]{1,2}\.png$", description="e.g. 3.png")]
SpeciesPath = Annotated[str, Parameter(pattern=r"^[a-z0-9_]{1,32}$")]


class SpeciesController(Controller):
    """The species catalog, its art, and my tree."""

    tags = ["trees"]

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
        art = stage_art_file(species_catalog, code, int(file.removesuffix(".png")))
        return Response(
            art.read_bytes(),
            media_type="image/png",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @get("/api/v1/me/tree", summary="My tree")
    async def my_tree(
        self, request: Request[User, Any, Any], species_catalog: NamedDependency[SpeciesCatalog]
    ) -> TreeOut:
        """The species I am growing and its growth stage from my balance."""
        user_id = request.user.id
        return tree_out(await tree_of(species_catalog, user_id, await balance_of(user_id)))

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
        return tree_out(await tree_of(species_catalog, user_id, await balance_of(user_id)))
