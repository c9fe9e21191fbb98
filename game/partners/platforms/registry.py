"""Registering partner platforms and reading them back (docs/rules.md#partner-platforms)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import available_timezones

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid
from core.settings import Settings
from game.carbon.catalog import Catalog
from game.partners.platforms.keys import IssuedKey, PartnerNotFound, SecretBox, issue_key
from game.partners.platforms.models import PartnerPlatform


class PartnerNameTaken(Conflict):
    """Partner platform names are unique."""

    code = "partner-exists"
    title = "A partner platform with this name exists"


class InvalidPartnerTimezone(Invalid):
    """A partner's time zone is an IANA name such as Asia/Shanghai."""

    code = "unknown-timezone"
    title = "Unknown time zone"


class NothingToReport(Invalid):
    """A platform must be allowed at least one scenario or meter readings."""

    code = "partner-reports-nothing"
    title = "The partner would report nothing"


@dataclass(frozen=True)
class PartnerRules:
    """The numbers of the partner API, from settings."""

    signature_window: timedelta
    batch_max_items: int
    key_overlap: timedelta
    default_daily_budget_grams: int
    default_requests_per_minute: int

    @classmethod
    def from_settings(cls, settings: Settings) -> PartnerRules:
        """GREENSPARK_PARTNER_* settings (docs/rules.md#partner-platforms)."""
        return cls(
            signature_window=timedelta(seconds=settings.partner_signature_window_seconds),
            batch_max_items=settings.partner_batch_max_items,
            key_overlap=timedelta(seconds=settings.partner_key_overlap_seconds),
            default_daily_budget_grams=settings.partner_daily_budget_grams,
            default_requests_per_minute=settings.partner_requests_per_minute,
        )


@dataclass(frozen=True)
class NewPartner:
    """What an admin gives to register a platform; limits default to the settings."""

    name: str
    timezone: str
    contact: str
    scenarios: list[str] = field(default_factory=list)
    meter_readings: bool = False
    scopes: list[str] = field(default_factory=list)
    daily_budget_grams: int | None = None
    requests_per_minute: int | None = None


@dataclass(frozen=True)
class Registered:
    """A new platform with its first key."""

    platform: PartnerPlatform
    issued: IssuedKey


async def register_partner(
    clock: Clock, box: SecretBox, catalog: Catalog, rules: PartnerRules, given: NewPartner
) -> Registered:
    """Register a platform with the scenarios it may report and issue its first key."""
    scenarios = list(dict.fromkeys(given.scenarios))
    for code in scenarios:
        catalog.get(code)
    if not scenarios and not given.meter_readings and not given.scopes:
        raise NothingToReport("give scenarios, meter readings or scopes")
    if given.timezone not in available_timezones():
        raise InvalidPartnerTimezone(f"{given.timezone!r} is not an IANA time zone")
    try:
        async with in_transaction() as conn:
            platform = await PartnerPlatform.create(
                using_db=conn,
                name=given.name.strip(),
                scenarios=scenarios,
                meter_readings=given.meter_readings,
                scopes=sorted(set(given.scopes)),
                timezone=given.timezone,
                contact=given.contact.strip(),
                daily_budget_grams=(
                    rules.default_daily_budget_grams
                    if given.daily_budget_grams is None
                    else given.daily_budget_grams
                ),
                requests_per_minute=given.requests_per_minute or rules.default_requests_per_minute,
                created_at=clock.now(),
            )
            issued = await issue_key(conn, clock, box, platform.id)
    except IntegrityError:
        raise PartnerNameTaken(f"{given.name!r} is registered already") from None
    return Registered(platform=platform, issued=issued)


async def get_partner(platform_id: int) -> PartnerPlatform:
    """The platform with this id, or PartnerNotFound."""
    platform = await PartnerPlatform.get_or_none(id=platform_id)
    if platform is None:
        raise PartnerNotFound(f"no partner platform {platform_id}")
    return platform


async def partner_named(name_or_id: str) -> PartnerPlatform:
    """The platform with this name (or numeric id), or PartnerNotFound."""
    if name_or_id.isdigit():
        return await get_partner(int(name_or_id))
    platform = await PartnerPlatform.get_or_none(name=name_or_id.strip())
    if platform is None:
        raise PartnerNotFound(f"no partner platform is called {name_or_id!r}")
    return platform


async def list_partners() -> list[PartnerPlatform]:
    """Every partner platform, oldest first."""
    return list(await PartnerPlatform.all().order_by("id"))
