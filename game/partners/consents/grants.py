"""Granting, replacing, revoking and listing consents (docs/rules.md#consents)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, Invalid, NotFound
from game.partners.consents.models import Consent, ConsentScenario
from game.partners.platforms.models import PartnerPlatform
from game.partners.platforms.registry import get_partner


class ConsentNotFound(NotFound):
    """The player has no current consent for this partner."""

    code = "consent-not-found"
    title = "No current consent for this partner"


class UserRefLinkedElsewhere(Conflict):
    """Another player's current consent at this partner uses the same user_ref."""

    code = "user-ref-linked-elsewhere"
    title = "This partner account is linked to another player"


class NotOfferedByPartner(Invalid):
    """The partner does not report this scenario (or meter readings)."""

    code = "not-offered-by-partner"
    title = "The partner does not report this"


class ConsentCoversNothing(Invalid):
    """A consent names at least one scenario or meter readings."""

    code = "consent-covers-nothing"
    title = "The consent covers nothing"


@dataclass(frozen=True)
class ConsentView:
    """A consent with the scenarios it covers and the partner's name."""

    consent: Consent
    scenarios: list[str]
    partner_name: str


@dataclass(frozen=True)
class NewConsent:
    """What a player grants: scenarios default to all the partner reports."""

    platform_id: int
    user_ref: str
    scenarios: list[str] | None = None
    meter_readings: bool = False


def _checked_scope(platform: PartnerPlatform, given: NewConsent) -> list[str]:
    scenarios = list(
        dict.fromkeys(platform.scenarios if given.scenarios is None else given.scenarios)
    )
    missing = [s for s in scenarios if s not in platform.scenarios]
    if missing:
        raise NotOfferedByPartner(
            f"{platform.name} does not report {', '.join(missing)}", offered=platform.scenarios
        )
    # The flag is consent to the household's power data: 15-minute readings and monthly bills.
    if given.meter_readings and not (platform.meter_readings or "bills" in platform.scopes):
        raise NotOfferedByPartner(f"{platform.name} does not send power data")
    if not scenarios and not given.meter_readings:
        raise ConsentCoversNothing("name a scenario or meter readings")
    return scenarios


async def _end_current(conn: BaseDBAsyncClient, clock: Clock, consent_id: int, reason: str) -> None:
    await (
        Consent.filter(id=consent_id, revoked_at=None)
        .using_db(conn)
        .update(
            revoked_at=clock.now(), revoked_reason=reason, current_ref=None, current_user_id=None
        )
    )


async def grant_consent(clock: Clock, user_id: int, given: NewConsent) -> ConsentView:
    """Let a partner report for the player from now on; a current consent to it is replaced."""
    platform = await get_partner(given.platform_id)
    scenarios = _checked_scope(platform, given)
    try:
        async with in_transaction() as conn:
            current = (
                await Consent.filter(platform_id=platform.id, current_user_id=user_id)
                .using_db(conn)
                .select_for_update()
                .first()
            )
            if current is not None:
                await _end_current(conn, clock, current.id, "replaced")
            consent = await Consent.create(
                using_db=conn,
                user_id=user_id,
                platform_id=platform.id,
                user_ref=given.user_ref,
                meter_readings=given.meter_readings,
                granted_at=clock.now(),
                current_ref=given.user_ref,
                current_user_id=user_id,
            )
            await ConsentScenario.bulk_create(
                [ConsentScenario(consent_id=consent.id, scenario=s) for s in scenarios],
                using_db=conn,
            )
    except IntegrityError:
        raise UserRefLinkedElsewhere(
            f"{given.user_ref!r} at {platform.name} is linked to another player"
        ) from None
    return ConsentView(consent=consent, scenarios=scenarios, partner_name=platform.name)


async def revoke_consent(clock: Clock, user_id: int, platform_id: int) -> ConsentView:
    """End the player's current consent to a partner at once; it stays in the history."""
    async with in_transaction() as conn:
        current = (
            await Consent.filter(platform_id=platform_id, current_user_id=user_id)
            .using_db(conn)
            .select_for_update()
            .first()
        )
        if current is None:
            raise ConsentNotFound(f"no current consent for partner {platform_id}")
        # Waits for any credit holding this consent's lock, so none lands after the revocation.
        await _end_current(conn, clock, current.id, "player")
        await current.refresh_from_db(using_db=conn)
    return (await _views([current]))[0]


async def _views(consents: list[Consent]) -> list[ConsentView]:
    ids = [c.id for c in consents]
    scopes: dict[int, list[str]] = {i: [] for i in ids}
    for row in await ConsentScenario.filter(consent_id__in=ids).order_by("id"):
        scopes[row.consent_id].append(row.scenario)
    names = dict(
        await PartnerPlatform.filter(id__in={c.platform_id for c in consents}).values_list(
            "id", "name"
        )
    )
    return [ConsentView(c, scopes[c.id], str(names[c.platform_id])) for c in consents]


async def consents_page(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[ConsentView], int | None]:
    """The player's consents, current and past, newest first, and the next page's cursor."""
    query = Consent.filter(user_id=user_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = list(await query.order_by("-id").limit(limit + 1))
    next_cursor = rows[limit - 1].id if len(rows) > limit else None
    return await _views(rows[:limit]), next_cursor
