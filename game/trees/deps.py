"""Dependencies the tree controllers share: the species catalog and the render cache."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide

from app.settings import Settings
from game.trees.certificates import RenderCache
from game.trees.species import SpeciesCatalog, load_species


def _species() -> SpeciesCatalog:
    return load_species()


def _renders(settings: NamedDependency[Settings]) -> RenderCache:
    return RenderCache(settings.data_dir / "cache" / "renders")


TREE_DEPENDENCIES = {
    "species_catalog": Provide(_species, sync_to_thread=False),
    "render_cache": Provide(_renders, sync_to_thread=False),
}

# Images are private to who may see them; nosniff stops a browser guessing another type.
IMAGE_HEADERS = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}

# Ids of tables with 32-bit keys (users, projects, partners, areas, welfare projects): a larger
