"""Request and response shapes of the species catalog and the tree a player grows."""

from __future__ import annotations

from typing import Annotated

import msgspec

from game.trees.species.catalog import Species
from game.trees.species.growth import TreeView

SpeciesCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{1,32}$", examples=["saxaul"])]


class StageOut(msgspec.Struct):
    """A growth stage and the picture of it."""

    stage: int
    name: str
    from_grams: int
    image: str


class SpeciesOut(msgspec.Struct):
    """A species a player can grow, what planting one costs, and who plants it where."""

    code: str
    name: str
    latin: str
    energy_grams: int
    region: str
    planting_partner: str
    description: str
    source: str
    stages: list[StageOut]


def stage_image(species: Species, stage: int) -> str:
    """The URL of a species' art at a stage."""
    return f"/api/v1/species/{species.code}/stages/{stage}.png"


def species_out(species: Species, stages: list[tuple[int, str, int]]) -> SpeciesOut:
    """Show a species with its stages (number, name, permille of the cost)."""
    return SpeciesOut(
        code=species.code,
        name=species.name,
        latin=species.latin,
        energy_grams=species.energy_grams,
        region=species.region,
        planting_partner=species.planting_partner,
        description=species.description,
        source=species.source,
        stages=[
            StageOut(n, name, -(-species.energy_grams * permille // 1000), stage_image(species, n))
            for n, name, permille in stages
        ],
    )


class TreeIn(msgspec.Struct, forbid_unknown_fields=True):
    """The species to grow."""

    species: SpeciesCode


class TreeOut(msgspec.Struct):
    """The tree growing in a forest: species, stage from the balance, whether it can be planted."""

    species: str
    name: str
    chosen: bool
    energy_grams: int
    balance: int
    progress_permille: int
    stage: int
    stage_name: str
    image: str
    can_plant: bool


def tree_out(view: TreeView) -> TreeOut:
    """Show a player's tree."""
    cost = view.species.energy_grams
    return TreeOut(
        species=view.species.code,
        name=view.species.name,
        chosen=view.chosen,
        energy_grams=cost,
        balance=view.balance,
        progress_permille=min(1000, max(0, view.balance) * 1000 // cost),
        stage=view.stage.stage,
        stage_name=view.stage.name,
        image=stage_image(view.species, view.stage.stage),
        can_plant=view.can_plant,
    )
