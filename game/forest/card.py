"""The share card of a player's forest: their tree, and what their energy planted and gave."""

from __future__ import annotations

from tortoise.functions import Sum
from tortoise.models import Model

from core.users import User
from game.energy.models import EnergyAccount
from game.trees.plantings.models import PlantingOwner
from game.trees.render import CardFacts, RenderCache, facts_key, render_card
from game.trees.species.catalog import SpeciesCatalog
from game.trees.species.growth import tree_of
from game.trees.welfare.models import Adoption, Donation
from social.friends.access import PlayerNotFound, is_blocked_between


async def _total(model: type[Model], field: str, user_id: int) -> int:
    rows = await model.filter(user_id=user_id).annotate(total=Sum(field)).values("total")
    return int(rows[0]["total"] or 0) if rows else 0


async def card_facts(catalog: SpeciesCatalog, user: User) -> CardFacts:
    """What a player's share card shows: their tree growing and what their energy did."""
    account = await EnergyAccount.get_or_none(user_id=user.id)
    balance = account.balance if account else 0
    tree = await tree_of(catalog, user.id, balance)
    permille = min(1000, balance * 1000 // tree.species.energy_grams)
    trees = await PlantingOwner.filter(user_id=user.id).count()
    land = await _total(Adoption, "square_metres", user.id)
    donated = await _total(Donation, "grams", user.id)
    return CardFacts(
        name=user.display_name,
        art=tree.species.stage_art(tree.stage.stage),
        growing=f"Growing a {tree.species.name}: {tree.stage.name} ({permille // 10}%)",
        progress_permille=permille,
        stats=(
            ("Real trees planted", f"{trees:,}"),
            ("Land protected", f"{land:,} sq m"),
            ("Energy donated", f"{donated:,} g"),
            ("Energy gathered", f"{account.lifetime_collected if account else 0:,} g"),
        ),
    )


async def forest_card(
    cache: RenderCache, catalog: SpeciesCatalog, viewer_id: int, user_id: int
) -> tuple[bytes, bool]:
    """The share card of a player's forest, for any player they have not blocked."""
    user = await User.get_or_none(id=user_id)
    if user is None or await is_blocked_between(viewer_id, user_id):
        raise PlayerNotFound(f"no player {user_id}")
    facts = await card_facts(catalog, user)
    return await cache.get_or_render(
        facts_key(f"card-{user_id}", facts), lambda: render_card(facts)
    )
