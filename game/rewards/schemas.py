"""Request and response shapes of budget pools, grants, vouchers and medals."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import Name
from game.rewards.grants import MyReward, voucher_state
from game.rewards.medals import MedalProgress, MonthlyMedal
from game.rewards.models import BudgetPool, MedalAward

Amount = Annotated[int, msgspec.Meta(ge=1, le=10**12)]


class PoolIn(msgspec.Struct, forbid_unknown_fields=True):
    """A budget pool to open: `total` in its unit, `unit_cost` taken by each grant."""

    name: Name
    unit: Annotated[str, msgspec.Meta(pattern=r"^(fen|grams|items)$")]
    unit_cost: Amount
    total: Annotated[int, msgspec.Meta(ge=0, le=10**12)]
    sponsor: Annotated[str, msgspec.Meta(max_length=120)] = ""


class FundIn(msgspec.Struct, forbid_unknown_fields=True):
    """Budget to add to a pool, in its unit."""

    amount: Amount


class PoolStatusIn(msgspec.Struct, forbid_unknown_fields=True):
    """Open or close a pool."""

    status: Annotated[str, msgspec.Meta(pattern=r"^(open|closed)$")]


class PoolOut(msgspec.Struct):
    """A pool: its total, unit cost, what is spent and what remains, and grants it can still pay."""

    id: int
    name: str
    sponsor: str
    unit: str
    unit_cost: int
    total: int
    spent: int
    remaining: int
    grants_left: int
    status: str
    created_at: datetime


def pool_out(pool: BudgetPool) -> PoolOut:
    """Show a pool."""
    return PoolOut(
        id=pool.id, name=pool.name, sponsor=pool.sponsor, unit=str(pool.unit),
        unit_cost=pool.unit_cost, total=pool.total, spent=pool.spent, remaining=pool.remaining,
        grants_left=pool.remaining // pool.unit_cost, status=str(pool.status),
        created_at=pool.created_at,
    )  # fmt: skip


class VoucherOut(msgspec.Struct):
    """A voucher: its code, value in fen, when it expires and its state."""

    code: str
    face_value_fen: int
    pool_id: int | None
    issued_at: datetime
    expires_at: datetime
    state: str
    redeemed_at: datetime | None


class RewardOut(msgspec.Struct):
    """A grant: what it gave, or why a pool could not pay it (`outcome`)."""

    id: int
    source: str
    campaign_id: int | None
    reward_id: int | None
    kind: str
    outcome: str
    pool_id: int | None
    grams: int
    prop: str | None
    quantity: int
    medal: str | None
    voucher: VoucherOut | None
    created_at: datetime


def reward_out(shown: MyReward, now: datetime) -> RewardOut:
    """Show a grant with its voucher."""
    g, v = shown.grant, shown.voucher
    voucher = None
    if v is not None:
        voucher = VoucherOut(
            code=v.code, face_value_fen=v.face_value_fen, pool_id=v.pool_id,
            issued_at=v.issued_at, expires_at=v.expires_at, state=voucher_state(v, now),
            redeemed_at=v.redeemed_at,
        )  # fmt: skip
    return RewardOut(
        id=g.id, source=g.source, campaign_id=g.campaign_id, reward_id=g.reward_id,
        kind=g.kind, outcome=g.outcome, pool_id=g.pool_id, grams=g.grams,
        prop=g.prop_kind or None, quantity=g.quantity, medal=g.medal_name or None,
        voucher=voucher, created_at=g.created_at,
    )  # fmt: skip


class RewardsPage(msgspec.Struct):
    """A page of my rewards, newest first."""

    items: list[RewardOut]
    next_cursor: str | None


class TierOut(msgspec.Struct):
    """A tier and the month's grams it needs; `awarded_at` once I hold it this month."""

    tier: str
    grams: int
    awarded_at: datetime | None = None


class MedalOut(msgspec.Struct):
    """A monthly medal: which scenarios count, and its tiers."""

    code: str
    name: str
    scenarios: list[str] | None
    tiers: list[TierOut]


def medal_out(medal: MonthlyMedal) -> MedalOut:
    """Show a monthly medal of the catalog."""
    return MedalOut(
        code=medal.code,
        name=medal.name,
        scenarios=sorted(medal.scenarios) if medal.scenarios is not None else None,
        tiers=[TierOut(t.tier, t.grams) for t in medal.tiers],
    )


class MonthOut(msgspec.Struct):
    """This month on one monthly medal: grams so far, tiers held, the next tier."""

    code: str
    name: str
    label: str
    grams: int
    tiers: list[TierOut]
    next_tier: str | None
    grams_to_next: int | None


class AwardOut(msgspec.Struct):
    """A medal I hold."""

    code: str
    name: str
    label: str
    tier: str
    grams: int
    awarded_at: datetime


class MyMedalsOut(msgspec.Struct):
    """My monthly medals this month, and every medal I hold, newest first."""

    this_month: list[MonthOut]
    held: list[AwardOut]


def my_medals_out(progress: list[MedalProgress], held: list[MedalAward]) -> MyMedalsOut:
    """Show my medals."""
    months = []
    for p in progress:
        tiers = [
            TierOut(t.tier, t.grams, p.held[t.tier].awarded_at if t.tier in p.held else None)
            for t in p.medal.tiers
        ]
        upcoming = next((t for t in p.medal.tiers if t.grams > p.grams), None)
        months.append(
            MonthOut(
                code=p.medal.code,
                name=p.medal.name,
                label=p.label,
                grams=p.grams,
                tiers=tiers,
                next_tier=upcoming.tier if upcoming else None,
                grams_to_next=upcoming.grams - p.grams if upcoming else None,
            )
        )
    awards = [AwardOut(a.code, a.name, a.label, a.tier, a.grams, a.awarded_at) for a in held]
    return MyMedalsOut(this_month=months, held=awards)
