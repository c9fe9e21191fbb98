"""The species catalog (assets/species.json), growth stages, and the tree a player grows."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import orjson

from core.assets import ASSETS
from core.errors import NotFound

SPECIES_ART = ASSETS / "species"


class UnknownSpecies(NotFound):
    """No species has this code."""

    code = "unknown-species"
    title = "Unknown species"


@dataclass(frozen=True)
class Stage:
    """A growth stage, reached when the balance covers `from_permille` of the tree's cost."""

    stage: int
    name: str
    from_permille: int


@dataclass(frozen=True)
class Species:
    """A tree a player can grow, and what planting one for real costs."""

    code: str
    name: str
    latin: str
    energy_grams: int
    region: str
    planting_partner: str
    art: str
    description: str
    source: str

    def stage_art(self, stage: int) -> Path:
        """The picture of this species at a growth stage."""
        return SPECIES_ART / self.code / f"stage{stage}.png"


@dataclass(frozen=True)
class SpeciesCatalog:
    """Every species by code, the growth stages, and the species a new player grows."""

    species: dict[str, Species]
    stages: tuple[Stage, ...]
    default_code: str

    def get(self, code: str) -> Species:
        """The species with this code, or UnknownSpecies."""
        try:
            return self.species[code]
        except KeyError:
            raise UnknownSpecies(f"no species is called {code!r}") from None

    def all(self) -> list[Species]:
        """Every species, in catalog order."""
        return list(self.species.values())

    def stage_for(self, species: Species, balance: int) -> Stage:
        """How far a tree has grown: the last stage whose share of the cost the balance covers."""
        permille = min(1000, max(0, balance) * 1000 // species.energy_grams)
        reached = [s for s in self.stages if s.from_permille <= permille]
        return reached[-1]


def _species(raw: dict[str, object]) -> Species:
    grams = raw["energy_grams"]
    if not isinstance(grams, int) or grams <= 0:
        raise ValueError(f"bad energy_grams for {raw.get('code')!r}")
    species = Species(
        code=str(raw["code"]),
        name=str(raw["name"]),
        latin=str(raw["latin"]),
        energy_grams=grams,
        region=str(raw["region"]),
        planting_partner=str(raw["planting_partner"]),
        art=str(raw["art"]),
        description=str(raw["description"]),
        source=str(raw["source"]),
    )
    return species


@lru_cache(maxsize=4)
def load_species(path: Path = ASSETS / "species.json") -> SpeciesCatalog:
    """Read and check the species catalog once; every species must have art for every stage."""
    document = orjson.loads(path.read_bytes())
    stages = tuple(
        Stage(int(s["stage"]), str(s["name"]), int(s["from_permille"])) for s in document["stages"]
    )
    if [s.stage for s in stages] != list(range(len(stages))) or stages[0].from_permille != 0:
        raise ValueError("stages must be numbered from 0 and start at 0 permille")
    species = [_species(raw) for raw in document["species"]]
    by_code = {s.code: s for s in species}
    if len(by_code) != len(species) or document["default_species"] not in by_code:
        raise ValueError("duplicate species codes or an unknown default species")
    for item in species:
        missing = [n for n in range(len(stages)) if not item.stage_art(n).is_file()]
        if missing:
            raise ValueError(f"{item.code} has no art for stages {missing}")
    return SpeciesCatalog(species=by_code, stages=stages, default_code=document["default_species"])


def stage_art_file(catalog: SpeciesCatalog, code: str, stage: int) -> Path:
    """The art of a species at a growth stage; UnknownSpecies for a stage it does not have."""
    found = catalog.get(code)
    if stage >= len(catalog.stages):
        raise UnknownSpecies(f"{found.name} has no stage {stage}")
    return found.stage_art(stage)
