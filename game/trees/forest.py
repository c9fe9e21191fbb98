"""The tree shown in a player's forest view."""

from __future__ import annotations

from game.trees.schemas import TreeOut, tree_out
from game.trees.species import load_species, tree_of


async def forest_tree(user_id: int, balance: int) -> TreeOut:
    """The species the player grows and its growth stage at this balance."""
    return tree_out(await tree_of(load_species(), user_id, balance))
