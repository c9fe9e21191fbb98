"""Rewards in a player's export. Grants, vouchers and medals stay on erasure, like the ledgers:
pools and reconcile are built from them (docs/reliability.md#privacy)."""

from __future__ import annotations

from core.privacy import ExportPart, ExportRequest
from game.rewards.models import Grant, MedalAward, Voucher


async def export_rewards(request: ExportRequest) -> ExportPart:
    """Every grant I received (or was refused for an empty pool), my vouchers and medals."""
    me = request.user_id
    data = {
        "grants": await Grant.filter(user_id=me)
        .order_by("id")
        .values(
            "source",
            "campaign_id",
            "reward_id",
            "kind",
            "outcome",
            "grams",
            "prop_kind",
            "quantity",
            "medal_name",
            "created_at",
        ),
        "vouchers": await Voucher.filter(owner_id=me)
        .order_by("id")
        .values("code", "face_value_fen", "status", "issued_at", "expires_at", "redeemed_at"),
        "medals": await MedalAward.filter(user_id=me)
        .order_by("id")
        .values("code", "label", "tier", "name", "grams"),
    }
    return ExportPart("rewards", data)
