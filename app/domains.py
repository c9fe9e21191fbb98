"""The domains the app serves, and the only place where they are wired to each other.

Each domain keeps to itself (see docs/architecture.md): this module lists their controllers,
connects one domain's reactions to another's hooks, hands each the numbers it needs from the
settings, and gathers every domain's conservation checks for `greenspark reconcile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar.datastructures import State
from litestar.di import Provide

from app.auth.rules import player_registered
from core.clock import Clock
from core.events import EventSink
from core.reconcile import Checks, Mismatch, run_checks
from core.settings import Settings
from game.carbon.actions import ActionWindow
from game.carbon.api import CarbonController
from game.carbon.catalog import load_catalog
from game.energy.api import EnergyController
from game.energy.bubbles import BubbleTiming
from game.energy.ledger import EnergyGathered, open_account
from game.energy.models import LedgerEntry
from game.energy.reconcile import ENERGY_CHECKS
from game.forest.api import ForestController
from game.forest.reconcile import FOREST_CHECKS
from game.forest.stealing import StealRules
from game.forest.watering import WaterRules
from game.leaderboards.api import LeaderboardsController
from game.leaderboards.energy import Boards
from game.leaderboards.gains import record_gains
from game.partners.consents.api import ConsentsController
from game.partners.gate.api import CallsController
from game.partners.gate.gate import Gate
from game.partners.ingest.actions import Crediting
from game.partners.ingest.api import PartnerApiController
from game.partners.platforms.api import PlatformsController
from game.partners.platforms.keys import SecretBox
from game.partners.platforms.registry import PartnerRules
from game.partners.reconcile import PARTNER_CHECKS
from game.power.api import PowerController
from game.power.readings import ReadingRules
from game.power.reconcile import POWER_CHECKS
from game.props.api import PropsController
from game.trees.certificates.api import CertificatesController
from game.trees.coplanting.api import CoPlantingController
from game.trees.plantings.api import PlantingsController
from game.trees.projects.api import ProjectsController
from game.trees.reconcile import TREE_CHECKS
from game.trees.render import RenderCache
from game.trees.species.api import SpeciesController
from game.trees.species.catalog import load_species
from game.trees.welfare.api import WelfareController
from social.checkins.api import CheckinsController
from social.checkins.review import content_deleted, content_flagged
from social.friends.api import FriendsController
from social.moderation.api import ModerationController
from social.moderation.cases import forget_deleted, open_case_for_flagged
from social.timeline.api import TimelineController

DOMAIN_CONTROLLERS = [
    CarbonController,
    EnergyController,
    ForestController,
    PropsController,
    LeaderboardsController,
    SpeciesController,
    PlantingsController,
    ProjectsController,
    CertificatesController,
    CoPlantingController,
    WelfareController,
    PlatformsController,
    CallsController,
    ConsentsController,
    PartnerApiController,
    PowerController,
    FriendsController,
    TimelineController,
    CheckinsController,
    ModerationController,
]

# Every kind of value the game holds, with the checks that prove it balances.
RECONCILE_CHECKS: list[Checks] = [
    ENERGY_CHECKS,
    FOREST_CHECKS,
    TREE_CHECKS,
    PARTNER_CHECKS,
    POWER_CHECKS,
]


def connect_hooks() -> None:
    """Connect each domain's reactions to the hooks of the domains it reacts to (idempotent)."""
    player_registered.connect(open_account)
    content_flagged.connect(open_case_for_flagged)
    content_deleted.connect(forget_deleted)


async def reconcile() -> list[Mismatch]:
    """Run every domain's conservation checks; an empty list means all value is accounted for."""
    return await run_checks(RECONCILE_CHECKS)


def domain_state(settings: Settings, clock: Clock) -> dict[str, Any]:
    """What the domains need from the settings, built once per app."""
    timing = BubbleTiming.from_settings(settings)
    window = ActionWindow.from_settings(settings)
    return {
        "timing": timing,
        "action_window": window,
        "crediting": Crediting(
            clock, load_catalog(), timing, window, settings.partner_parallel_players
        ),
        "partner_rules": PartnerRules.from_settings(settings),
        "partner_secrets": SecretBox.from_settings(settings),
        "reading_rules": ReadingRules.from_settings(settings),
        "steal_rules": StealRules.from_settings(settings),
        "water_rules": WaterRules.from_settings(settings),
        "species_catalog": load_species(),
        "render_cache": RenderCache(settings.data_dir / "cache" / "renders"),
    }


def gathered_energy_reaction(boards: Boards, clock: Clock, events: EventSink) -> EnergyGathered:
    """After energy is gathered: the leaderboards take the new totals."""

    async def energy_gathered(entries: Sequence[LedgerEntry]) -> None:
        await record_gains(boards, clock, events, entries)

    return energy_gathered


def _energy_gathered(state: State) -> EnergyGathered:
    return gathered_energy_reaction(state.boards, state.clock, state.events)


def _partner_gate(state: State) -> Gate:
    settings: Settings = state.settings
    return Gate(
        state.clock, state.partner_secrets, state.partner_rules, state.redis, settings.redis_prefix
    )


DOMAIN_DEPENDENCIES = {
    "energy_gathered": Provide(_energy_gathered, sync_to_thread=False),
    "partner_gate": Provide(_partner_gate, sync_to_thread=False),
}
