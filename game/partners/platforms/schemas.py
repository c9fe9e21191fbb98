"""Request and response shapes of partner platform management."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import Name
from game.partners.platforms.keys import IssuedKey, key_status
from game.partners.platforms.models import PartnerKey, PartnerPlatform

ScenarioCode = Annotated[str, msgspec.Meta(min_length=1, max_length=48)]
Contact = Annotated[str, msgspec.Meta(min_length=3, max_length=200, pattern=r"^\S(.*\S)?$")]
Timezone = Annotated[str, msgspec.Meta(min_length=1, max_length=64, examples=["Asia/Shanghai"])]
Reason = Annotated[str, msgspec.Meta(max_length=200)]


class PartnerIn(msgspec.Struct, forbid_unknown_fields=True):
    """An admin registers a partner platform; its first key comes back with it."""

    name: Name
    timezone: Timezone
    contact: Contact
    scenarios: Annotated[list[ScenarioCode], msgspec.Meta(max_length=64)] = []
    meter_readings: bool = False
    # What else it may do: announce power-saving events, confirm and weigh recycling pick-ups,
    # send monthly power bills.
    scopes: Annotated[
        list[Annotated[str, msgspec.Meta(pattern=r"^(power_events|recycling|bills)$")]],
        msgspec.Meta(max_length=3),
    ] = []
    daily_budget_grams: Annotated[int, msgspec.Meta(ge=0, le=10**12)] | None = None
    requests_per_minute: Annotated[int, msgspec.Meta(ge=1, le=100_000)] | None = None


class RevokeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why a key is revoked (kept with the key)."""

    reason: Reason = ""


class KeyOut(msgspec.Struct):
    """A key without its secret."""

    key_id: str
    status: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    revoked_reason: str


class NewKeyOut(msgspec.Struct):
    """A new key with its secret: shown this once, store it now."""

    key_id: str
    secret: str
    created_at: datetime


class PartnerOut(msgspec.Struct):
    """A partner platform as admins see it."""

    id: int
    name: str
    scenarios: list[str]
    meter_readings: bool
    scopes: list[str]
    timezone: str
    contact: str
    daily_budget_grams: int
    requests_per_minute: int
    created_at: datetime
    keys: list[KeyOut]


class PartnerCreatedOut(msgspec.Struct):
    """A registered platform and its first key."""

    partner: PartnerOut
    key: NewKeyOut


class RotationOut(msgspec.Struct):
    """The new key and the older keys that keep working until their `expires_at`."""

    key: NewKeyOut
    retiring: list[KeyOut]


class PartnerPublicOut(msgspec.Struct):
    """A partner platform as players see it, to choose what to share with it."""

    id: int
    name: str
    scenarios: list[str]
    meter_readings: bool


def key_out(key: PartnerKey, now: datetime) -> KeyOut:
    """Show a key (never its secret)."""
    return KeyOut(
        key_id=key.key_id,
        status=key_status(key, now),
        created_at=key.created_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        revoked_reason=key.revoked_reason,
    )


def new_key_out(issued: IssuedKey) -> NewKeyOut:
    """Show a new key with its secret."""
    return NewKeyOut(
        key_id=issued.key.key_id, secret=issued.secret, created_at=issued.key.created_at
    )


def partner_out(platform: PartnerPlatform, keys: list[PartnerKey], now: datetime) -> PartnerOut:
    """Show a platform with its keys."""
    return PartnerOut(
        id=platform.id,
        name=platform.name,
        scenarios=list(platform.scenarios),
        meter_readings=platform.meter_readings,
        scopes=list(platform.scopes),
        timezone=platform.timezone,
        contact=platform.contact,
        daily_budget_grams=platform.daily_budget_grams,
        requests_per_minute=platform.requests_per_minute,
        created_at=platform.created_at,
        keys=[key_out(k, now) for k in keys],
    )


def partner_public_out(platform: PartnerPlatform) -> PartnerPublicOut:
    """Show a platform to players."""
    return PartnerPublicOut(
        id=platform.id,
        name=platform.name,
        scenarios=list(platform.scenarios),
        meter_readings=platform.meter_readings,
    )
