"""Demo data for trees: a planting partner with its staff user, a project per species, a
protected area and a matched welfare project, and enough energy for ada to plant a saxaul.

Called by `app/demo/seed.py` after the demo players exist; every value goes through the
real rules.
"""

from __future__ import annotations

from datetime import datetime

from app.auth.rules import create_user
from core.clock import ManualClock
from core.settings import Settings
from core.users import Role, User
from game.energy.ledger import adjust_energy
from game.trees.projects.partners import attach_partner_user, create_partner
from game.trees.projects.registry import NewProject, create_project
from game.trees.species.catalog import load_species
from game.trees.welfare.areas import NewArea, create_area
from game.trees.welfare.donations import NewWelfareProject, create_welfare_project

PARTNER_USER = "alxa"


async def seed_trees(settings: Settings, now: datetime, password: str) -> list[str]:
    """Create the tree demo data once; returns what it did, line by line."""
    clock, catalog = ManualClock(now), load_species()
    manager = await User.get(username="cam")
    partner = await create_partner(clock, "Alxa SEE Foundation", "CN-15")
    staff = await create_user(
        settings, clock, username=PARTNER_USER, password=password, role=Role.PLANTING_PARTNER,
        display_name="Alxa SEE field team", region="CN-15",
    )  # fmt: skip
    await attach_partner_user(clock, partner.id, staff.id)
    for species in catalog.all():
        project = NewProject(
            f"{species.name} forest", partner.id, species.code, "CN-15", species.region, 1_000
        )
        await create_project(clock, catalog, manager.id, project)
    area = NewArea(
        "Snow leopard range", "CN-63", "Sanjiangyuan, Qinghai", "Shan Shui Conservation Center",
        "Grassland and mountain habitat watched by local rangers.", 50, 100_000,
    )  # fmt: skip
    await create_area(clock, manager.id, area)
    welfare = NewWelfareProject(
        "Solar backpacks", "Children in high-altitude schools",
        "Photovoltaic backpacks that light homework after dark.", "Green Sponsor Ltd", 100_000,
    )  # fmt: skip
    await create_welfare_project(clock, manager.id, welfare)
    ada = await User.get(username="ada")
    await adjust_energy(clock, ada.id, 20_000, "demo: enough to plant a saxaul", "demo-trees-ada")
    return [
        f"demo planting partner user {PARTNER_USER} / {password} (planting_partner)",
        f"demo trees: {len(catalog.all())} projects, 1 protected area, 1 welfare project",
    ]
