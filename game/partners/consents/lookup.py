"""What a partner's batch needs to know about consents: who a user_ref is, what they allow,
and a lock that keeps the consent current until the credit commits (docs/rules.md#consents)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient

from core.errors import DomainError, Forbidden
from core.users import User
from game.partners.consents.models import Consent, ConsentScenario


class NoConsent(Forbidden):
    """The player behind this user_ref has given this partner no consent."""

    code = "no-consent"
    title = "No consent from this player"


class ConsentRevoked(Forbidden):
    """The player revoked their consent to this partner."""

    code = "consent-revoked"
    title = "The player revoked their consent"


class ScenarioNotConsented(Forbidden):
    """The player's consent does not cover this scenario."""

    code = "scenario-not-consented"
    title = "The consent does not cover this scenario"


class MeterReadingsNotConsented(Forbidden):
    """The player's consent does not cover meter readings."""

    code = "meter-readings-not-consented"
    title = "The consent does not cover meter readings"


@dataclass(frozen=True)
class Link:
    """A current consent: the player a user_ref stands for and what they allow."""

    consent_id: int
    user_id: int
    tz: ZoneInfo
    scenarios: frozenset[str]
    meter_readings: bool

    def require_scenario(self, scenario: str) -> None:
        """Refuse with ScenarioNotConsented unless the consent covers the scenario."""
        if scenario not in self.scenarios:
            raise ScenarioNotConsented(f"the consent does not cover {scenario!r}")

    def require_meter_readings(self) -> None:
        """Refuse with MeterReadingsNotConsented unless the consent covers readings."""
        if not self.meter_readings:
            raise MeterReadingsNotConsented("the consent does not cover meter readings")


async def links_for(platform_id: int, user_refs: Iterable[str]) -> dict[str, Link | DomainError]:
    """For each user_ref, its current consent at the platform or why there is none."""
    refs = set(user_refs)
    current = list(await Consent.filter(platform_id=platform_id, current_ref__in=refs))
    scopes: dict[int, set[str]] = {c.id: set() for c in current}
    for consent_id, scenario in await ConsentScenario.filter(
        consent_id__in=list(scopes)
    ).values_list("consent_id", "scenario"):
        scopes[int(consent_id)].add(str(scenario))
    zones = dict(
        await User.filter(id__in=[c.user_id for c in current]).values_list("id", "timezone")
    )
    found: dict[str, Link | DomainError] = {
        str(c.current_ref): Link(
            consent_id=c.id,
            user_id=c.user_id,
            tz=ZoneInfo(str(zones[c.user_id])),
            scenarios=frozenset(scopes[c.id]),
            meter_readings=c.meter_readings,
        )
        for c in current
    }
    missing = refs - set(found)
    revoked = {
        str(ref)
        for ref in await Consent.filter(platform_id=platform_id, user_ref__in=missing).values_list(
            "user_ref", flat=True
        )
    }
    for ref in missing:
        found[ref] = (
            ConsentRevoked("the consent for this user_ref was revoked")
            if ref in revoked
            else NoConsent("no player gave this partner a consent under this user_ref")
        )
    return found


async def hold_consent(conn: BaseDBAsyncClient, link: Link) -> None:
    """Lock the consent until the caller's transaction ends; ConsentRevoked if it ended meanwhile.

    A revocation waits on this lock, so no credit commits after the consent ended.
    """
    held = (
        await Consent.filter(id=link.consent_id, revoked_at=None)
        .using_db(conn)
        .select_for_update()
        .first()
    )
    if held is None:
        raise ConsentRevoked("the consent for this user_ref was revoked")


async def hold_power_data_consent(conn: BaseDBAsyncClient, platform_id: int, user_id: int) -> None:
    """Lock the player's current consent at the platform for power data (its meter readings
    flag) until the caller's transaction ends, or refuse: NoConsent, ConsentRevoked or
    MeterReadingsNotConsented. Used where the partner names a household, not a user_ref."""
    held = (
        await Consent.filter(platform_id=platform_id, current_user_id=user_id)
        .using_db(conn)
        .select_for_update()
        .first()
    )
    if held is None:
        if await Consent.filter(platform_id=platform_id, user_id=user_id).using_db(conn).exists():
            raise ConsentRevoked("the player revoked their consent to this partner")
        raise NoConsent("the player gave this partner no consent")
    if not held.meter_readings:
        raise MeterReadingsNotConsented("the consent does not cover power data (meter readings)")
