"""The tree a player grows: which species, and its growth stage from the balance."""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock
from game.trees.species.catalog import Species, SpeciesCatalog, Stage
from game.trees.species.models import TreeChoice


@dataclass(frozen=True)
class TreeView:
    """The tree in a player's forest: its species, how far it has grown, if it can be planted."""

    species: Species
    chosen: bool
    stage: Stage
    balance: int
    can_plant: bool


async def choose_tree(clock: Clock, catalog: SpeciesCatalog, user_id: int, code: str) -> Species:
    """Pick the species a player grows next; growth is shown against its cost."""
    species = catalog.get(code)
    now = clock.now()
    # Insert-or-ignore then update: two simultaneous choices cannot clash on the key.
    await TreeChoice.bulk_create(
        [TreeChoice(user_id=user_id, species=species.code, chosen_at=now)], ignore_conflicts=True
    )
    await TreeChoice.filter(user_id=user_id).update(species=species.code, chosen_at=now)
    return species


async def tree_of(catalog: SpeciesCatalog, user_id: int, balance: int) -> TreeView:
    """The player's chosen tree (the default species until they choose) at this balance."""
    choice = await TreeChoice.get_or_none(user_id=user_id)
    code = choice.species if choice and choice.species in catalog.species else catalog.default_code
    species = catalog.species[code]
    return TreeView(
        species=species,
        chosen=choice is not None,
        stage=catalog.stage_for(species, balance),
        balance=balance,
        can_plant=balance >= species.energy_grams,
    )
