"""Consents in a player's export, and what erasure changes: every current consent ends, and the
reference the partner knew the player by is replaced, so the partner's later reports for it
find nobody. The consent rows stay (pseudonymised): reconcile proves each partner credit had a
consent in force (docs/reliability.md#privacy)."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from core.privacy import Erasure, ExportPart, ExportRequest
from game.partners.consents.models import Consent, ConsentScenario


async def export_consents(request: ExportRequest) -> ExportPart:
    """Every consent I gave, current and past, with its scenarios."""
    rows = (
        await Consent.filter(user_id=request.user_id)
        .order_by("id")
        .values(
            "id", "platform_id", "platform__name", "user_ref", "meter_readings", "granted_at",
            "revoked_at", "revoked_reason",
        )
    )  # fmt: skip
    scopes: dict[int, list[str]] = {}
    for consent_id, scenario in await ConsentScenario.filter(
        consent__user_id=request.user_id
    ).values_list("consent_id", "scenario"):
        scopes.setdefault(int(consent_id), []).append(str(scenario))
    return ExportPart(
        "partner_consents", [{**row, "scenarios": scopes.get(row["id"], [])} for row in rows]
    )


async def erase_consents(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """End current consents now and forget the external references the player gave."""
    mine = Consent.filter(user_id=erasure.user_id).using_db(conn)
    await mine.filter(revoked_at=None).update(
        revoked_at=erasure.at, revoked_reason="erased", current_ref=None, current_user_id=None
    )
    for consent_id in await mine.values_list("id", flat=True):
        await (
            Consent.filter(id=consent_id)
            .using_db(conn)
            .update(user_ref=f"erased-{erasure.user_id}-{consent_id}")
        )
