"""Request and response shapes of players' consents."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import IdIn
from game.partners.consents.grants import ConsentView

UserRef = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description="How the partner knows you: your account reference there",
        examples=["metro-card-7311"],
    ),
]
ScenarioCode = Annotated[str, msgspec.Meta(min_length=1, max_length=48)]


class ConsentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A player lets a partner report for them under their account reference there."""

    partner_id: IdIn
    user_ref: UserRef
    scenarios: Annotated[list[ScenarioCode], msgspec.Meta(max_length=64)] | None = None
    meter_readings: bool = False


class ConsentOut(msgspec.Struct):
    """A consent, current (`revoked_at` null) or past."""

    id: int
    partner_id: int
    partner_name: str
    user_ref: str
    scenarios: list[str]
    meter_readings: bool
    granted_at: datetime
    revoked_at: datetime | None
    revoked_reason: str
    current: bool


class ConsentPage(msgspec.Struct):
    """A page of consents, newest first."""

    items: list[ConsentOut]
    next_cursor: str | None


def consent_out(view: ConsentView) -> ConsentOut:
    """Show a consent."""
    c = view.consent
    return ConsentOut(
        id=c.id,
        partner_id=c.platform_id,
        partner_name=view.partner_name,
        user_ref=c.user_ref,
        scenarios=view.scenarios,
        meter_readings=c.meter_readings,
        granted_at=c.granted_at,
        revoked_at=c.revoked_at,
        revoked_reason=c.revoked_reason,
        current=c.revoked_at is None,
    )
