"""The domains the app serves, and the only place where they are wired to each other.

Each domain keeps to itself (see docs/architecture.md): this module lists their controllers,
connects one domain's reactions to another's hooks, hands each the numbers it needs from the
settings, and gathers every domain's conservation checks for `greenspark reconcile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from litestar.datastructures import State
from litestar.di import Provide
from tortoise.backends.base.client import BaseDBAsyncClient

from app.auth.cache import forget_player_sessions
from app.auth.privacy import end_every_session, erase_sessions, export_sessions
from app.auth.rules import player_logged_in, player_registered
from app.idempotency import forget_keys
from app.metrics import ENERGY_GATHERED
from app.privacy.api import PrivacyController
from app.privacy.erasure import account_erased, cancel_deletion, deletion_requested
from app.privacy.export import export_requested
from core.clock import Clock, SystemClock
from core.events import EventSink, OutboxEvents, event_recorded
from core.reconcile import Checks, Mismatch, run_checks
from core.settings import Settings
from core.users import player_changed
from game.campaigns.lifecycle.announcing import Announcing
from game.campaigns.lifecycle.api import CampaignsController
from game.campaigns.privacy import erase_campaigns, export_campaigns
from game.campaigns.progress.api import ProgressController
from game.campaigns.progress.boards import CampaignBoards
from game.campaigns.progress.tracking import Tracker
from game.campaigns.reconcile import CAMPAIGN_CHECKS
from game.campaigns.teams.api import TeamsController
from game.carbon.actions import ActionCredited, ActionWindow, action_credited
from game.carbon.api import CarbonController
from game.carbon.catalog import load_catalog
from game.carbon.privacy import export_actions
from game.energy.api import EnergyController
from game.energy.bubbles import BubbleTiming
from game.energy.ledger import EnergyGathered, gathering_recorded, open_account
from game.energy.models import LedgerEntry
from game.energy.privacy import export_energy
from game.energy.reconcile import ENERGY_CHECKS
from game.forest.api import ForestController
from game.forest.helping import HelpRules
from game.forest.privacy import erase_forest, export_forest
from game.forest.reconcile import FOREST_CHECKS
from game.forest.reviving import ReviveRules
from game.forest.stealing import StealRules
from game.forest.visits import VisitRules
from game.forest.watering import WaterRules
from game.leaderboards.api import LeaderboardsController
from game.leaderboards.energy import Boards
from game.leaderboards.gains import GainBatcher
from game.leaderboards.privacy import export_boards
from game.partners.consents.api import ConsentsController
from game.partners.consents.privacy import erase_consents, export_consents
from game.partners.gate.api import CallsController
from game.partners.gate.gate import Gate
from game.partners.ingest.actions import Crediting
from game.partners.ingest.api import PartnerApiController, provide_signed_call
from game.partners.platforms.api import PlatformsController
from game.partners.platforms.keys import SecretBox
from game.partners.platforms.registry import PartnerRules
from game.partners.reconcile import PARTNER_CHECKS
from game.power.api import PowerController
from game.power.privacy import erase_power, export_power
from game.power.readings import ReadingRules, ReadingsStored, readings_stored
from game.power.reconcile import POWER_CHECKS
from game.props.api import PropsController
from game.props.privacy import export_props
from game.recycling.api import RecyclingController
from game.recycling.pickups import Crediting as PickupCrediting
from game.recycling.privacy import erase_pickups, export_pickups
from game.recycling.reconcile import RECYCLING_CHECKS
from game.rewards.api import RewardsController
from game.rewards.medals import award_monthly_medals
from game.rewards.privacy import export_rewards
from game.rewards.reconcile import REWARD_CHECKS
from game.saving.bills.api import BillsController
from game.saving.bills.privacy import export_bills
from game.saving.bills.programmes import BillRules
from game.saving.bills.reconcile import BILL_CHECKS
from game.saving.events.announcing import EventRules
from game.saving.events.api import PowerEventsController
from game.saving.events.privacy import export_power_events
from game.saving.events.reconcile import POWER_EVENT_CHECKS
from game.saving.events.settling import Settling, settle_from_readings
from game.store.api import StoreController
from game.store.privacy import erase_store, export_store
from game.store.reconcile import STORE_CHECKS
from game.trees.certificates.api import CertificatesController
from game.trees.coplanting.api import CoPlantingController
from game.trees.plantings.api import PlantingsController
from game.trees.privacy import erase_trees, export_trees
from game.trees.projects.api import ProjectsController
from game.trees.reconcile import TREE_CHECKS
from game.trees.render import RenderCache
from game.trees.species.api import SpeciesController
from game.trees.species.catalog import load_species
from game.trees.welfare.api import WelfareController
from social.checkins.api import CheckinsController
from social.checkins.moments import CheckinPosted, checkin_posted
from social.checkins.privacy import erase_checkins, export_checkins
from social.checkins.review import content_deleted, content_flagged
from social.friends.api import FriendsController
from social.friends.privacy import erase_friends, export_friends
from social.moderation.api import ModerationController
from social.moderation.cases import forget_deleted, open_case_for_flagged
from social.moderation.privacy import erase_moderation, export_moderation
from social.notifications.api import NotificationsController
from social.notifications.inbox import notify_from_event
from social.notifications.privacy import erase_notifications, export_notifications
from social.notifications.reconcile import NOTIFICATION_CHECKS
from social.timeline.api import TimelineController
from social.timeline.privacy import erase_timeline, export_timeline

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
    RewardsController,
    CampaignsController,
    ProgressController,
    TeamsController,
    PlatformsController,
    CallsController,
    ConsentsController,
    PartnerApiController,
    PowerController,
    FriendsController,
    TimelineController,
    CheckinsController,
    ModerationController,
    PrivacyController,
    NotificationsController,
    StoreController,
    PowerEventsController,
    BillsController,
    RecyclingController,
]

# Every kind of value the game holds, with the checks that prove it balances.
RECONCILE_CHECKS: list[Checks] = [
    ENERGY_CHECKS,
    FOREST_CHECKS,
    TREE_CHECKS,
    REWARD_CHECKS,
    CAMPAIGN_CHECKS,
    PARTNER_CHECKS,
    POWER_CHECKS,
    NOTIFICATION_CHECKS,
    STORE_CHECKS,
    POWER_EVENT_CHECKS,
    BILL_CHECKS,
    RECYCLING_CHECKS,
]


class LiveReactions:
    """Hook reactions that need the process's clock, event sink and Redis (monthly medals and
    campaign progress), bound once those exist: by the app's lifespan, by the worker.

    Hooks keep their reactions for the life of the process, and a test run builds many apps;
    these methods are connected once and use whatever was bound last. Until then (command-line
    tools) events go to the outbox with the system clock and campaign boards wait for a rebuild.
    """

    def __init__(self) -> None:
        clock = SystemClock()
        self.bind(clock, OutboxEvents(clock), None)

    def bind(
        self,
        clock: Clock,
        events: EventSink,
        boards: CampaignBoards | None,
        settings: Settings | None = None,
    ) -> None:
        """Use this clock, event sink, (when there is Redis) these campaign boards, and these
        settings for power-event settlement."""
        self.clock, self.events = clock, events
        self.tracker = Tracker(clock, events, boards)
        settings = settings or Settings()
        self.settling = Settling(
            clock, events, BubbleTiming.from_settings(settings), load_catalog(),
            settings.power_event_baseline_days,
        )  # fmt: skip

    async def action_credited(self, conn: BaseDBAsyncClient, credited: ActionCredited) -> None:
        """Monthly medals, then campaign progress."""
        await award_monthly_medals(conn, self.clock, self.events, credited)
        await self.tracker.action_credited(conn, credited)

    async def energy_gathered(self, conn: BaseDBAsyncClient, entry: LedgerEntry) -> None:
        """Campaign progress on energy goals."""
        await self.tracker.energy_gathered(conn, entry)

    async def readings_stored(self, conn: BaseDBAsyncClient, stored: ReadingsStored) -> None:
        """Power-saving events settle the households whose window is now read."""
        await settle_from_readings(conn, self.settling, stored)

    async def checkin_posted(self, conn: BaseDBAsyncClient, posted: CheckinPosted) -> None:
        """Campaign progress on check-in goals."""
        await self.tracker.checkin_posted(conn, posted)


LIVE = LiveReactions()


def connect_hooks() -> None:
    """Connect each domain's reactions to the hooks of the domains it reacts to (idempotent)."""
    player_registered.connect(open_account)
    content_flagged.connect(open_case_for_flagged)
    content_deleted.connect(forget_deleted)
    # Privacy: a login cancels a pending deletion; every domain exports and erases its own part.
    player_logged_in.connect(cancel_deletion)
    deletion_requested.connect(end_every_session)
    player_changed.connect(forget_player_sessions)
    for export in (
        export_sessions, export_actions, export_energy, export_forest, export_props,
        export_trees, export_friends, export_timeline, export_checkins, export_moderation,
        export_rewards, export_campaigns, export_consents, export_power, export_boards,
        export_notifications, export_store, export_power_events,
        export_bills, export_pickups,
    ):  # fmt: skip
        export_requested.connect(export)
    for erase in (
        erase_sessions, forget_keys, erase_forest, erase_trees, erase_friends, erase_timeline,
        erase_checkins, erase_moderation, erase_campaigns, erase_consents, erase_power,
        erase_notifications, erase_store, erase_pickups,
    ):  # fmt: skip
        account_erased.connect(erase)
    action_credited.connect(LIVE.action_credited)
    gathering_recorded.connect(LIVE.energy_gathered)
    checkin_posted.connect(LIVE.checkin_posted)
    readings_stored.connect(LIVE.readings_stored)
    event_recorded.connect(notify_from_event)


def campaign_boards_for(boards: Boards) -> CampaignBoards:
    """Campaign boards on the energy boards' Redis, prefix, grace and name cache."""
    return CampaignBoards(boards.redis, boards.prefix, boards.grace, boards.names)


def bind_live_reactions(
    clock: Clock, events: EventSink, boards: Boards | None, settings: Settings | None = None
) -> None:
    """Bind the live reactions to a process's clock, event sink, boards and settings."""
    LIVE.bind(clock, events, campaign_boards_for(boards) if boards is not None else None, settings)


def campaign_announcing(settings: Settings) -> Announcing:
    """Who hears of a campaign's start, and in batches of how many (docs/rules.md#announcing)."""
    return Announcing(
        timedelta(days=settings.campaign_announce_active_days), settings.campaign_announce_batch
    )


def campaign_settle_after(settings: Settings) -> timedelta:
    """How long after its end a campaign is settled (GREENSPARK_CAMPAIGN_SETTLE_AFTER_SECONDS)."""
    return timedelta(seconds=settings.campaign_settle_after_seconds)


async def reconcile() -> list[Mismatch]:
    """Run every domain's conservation checks; an empty list means all value is accounted for."""
    return await run_checks(RECONCILE_CHECKS)


def domain_state(settings: Settings, clock: Clock) -> dict[str, Any]:
    """What the domains need from the settings, built once per app."""
    timing = BubbleTiming.from_settings(settings)
    window = ActionWindow.from_settings(settings)
    steal_rules = StealRules.from_settings(settings)
    help_rules = HelpRules.from_settings(settings)
    revive_rules = ReviveRules.from_settings(settings)
    return {
        "timing": timing,
        "action_window": window,
        "crediting": Crediting(
            clock, load_catalog(), timing, window, settings.partner_parallel_players
        ),
        "partner_rules": PartnerRules.from_settings(settings),
        "partner_secrets": SecretBox.from_settings(settings),
        "reading_rules": ReadingRules.from_settings(settings),
        "event_rules": EventRules.from_settings(settings),
        "bill_rules": BillRules.from_settings(settings),
        "pickup_crediting": PickupCrediting(timing, load_catalog(), settings.tz),
        "steal_rules": steal_rules,
        "help_rules": help_rules,
        "revive_rules": revive_rules,
        "visit_rules": VisitRules(steal_rules, help_rules, revive_rules),
        "water_rules": WaterRules.from_settings(settings),
        "species_catalog": load_species(),
        "render_cache": RenderCache.in_cache_dir(settings.data_dir / "cache"),
    }


def _energy_gathered(state: State) -> EnergyGathered:
    """After energy is gathered and committed: the leaderboards take the new totals, batched.

    The boards live in Redis and are rebuilt from the ledger, so this runs after the commit and
    its failure (Redis down, say) never fails the request that gathered the energy.
    """
    gains: GainBatcher = state.gains

    async def energy_gathered(entries: Sequence[LedgerEntry]) -> None:
        for entry in entries:
            ENERGY_GATHERED.labels(entry.kind).inc(max(0, int(entry.delta)))
        await gains.gathered(entries)

    return energy_gathered


def _campaign_boards(state: State) -> CampaignBoards:
    return campaign_boards_for(state.boards)


def _partner_gate(state: State) -> Gate:
    settings: Settings = state.settings
    return Gate(
        state.clock, state.partner_secrets, state.partner_rules, state.redis, settings.redis_prefix
    )


DOMAIN_DEPENDENCIES = {
    "energy_gathered": Provide(_energy_gathered, sync_to_thread=False),
    "campaign_boards": Provide(_campaign_boards, sync_to_thread=False),
    "partner_gate": Provide(_partner_gate, sync_to_thread=False),
    "signed_call": Provide(provide_signed_call),
}
