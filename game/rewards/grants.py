"""Granting a reward once: energy, a prop, a medal or a voucher, paid from a pool if it names one.

Every grant has a unique key (one per player per campaign per reward, or per medal tier), so a
second attempt changes nothing. A reward that names a pool draws one unit cost from it first;
when the pool cannot pay, the grant is recorded with the outcome `pool-exhausted` (or
`pool-closed`) and the player gets nothing else. See docs/rules.md#rewards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.events import EventSink
from core.ids import new_code
from game.energy.ledger import apply_entry
from game.props.inventory import PropKind, add_props
from game.rewards.models import Grant, MedalAward, Voucher, VoucherStatus
from game.rewards.pools import draw_unit, record_draw

# `credit` is store credit: the grant and its pool draw are recorded here, and the store
# domain writes the credit itself under the key `grant:<id>` (docs/store.md#store-credit).
RewardKind = Literal["energy", "prop", "medal", "voucher", "credit"]
GrantSource = Literal["campaign", "medal", "power_event", "bill"]
# The energy ledger kind of every energy reward.
REWARD_LEDGER_KIND = "campaign_reward"


@dataclass(frozen=True)
class RewardSpec:
    """What a reward gives; `pool_id` names the budget pool that pays for it, if any."""

    kind: RewardKind
    grams: int = 0
    prop_kind: str = ""
    quantity: int = 0
    medal_name: str = ""
    valid_days: int = 0
    pool_id: int | None = None
    # Drawn from the pool instead of its unit cost: a reward worth what was measured.
    amount: int | None = None


@dataclass(frozen=True)
class MedalRef:
    """Which medal a medal reward is: its code, period label and tier (both empty for a
    campaign's medal), its name and the grams that earned it."""

    code: str
    name: str
    label: str = ""
    tier: str = ""
    grams: int = 0


@dataclass(frozen=True)
class GrantRequest:
    """One reward for one player, under a key that makes it happen once."""

    key: str
    user_id: int
    source: GrantSource
    spec: RewardSpec
    campaign_id: int | None = None
    reward_id: int | None = None
    medal: MedalRef | None = None
    reason: str = ""


@dataclass(frozen=True)
class Granted:
    """What granting did: the grant row (new or found), and its voucher when it has one."""

    grant: Grant
    new: bool
    voucher: Voucher | None = None


async def grant_reward(
    conn: BaseDBAsyncClient, clock: Clock, events: EventSink, request: GrantRequest
) -> Granted:
    """Grant a reward once inside the caller's transaction; tells the player `reward.granted`.

    Callers that grant several rewards in one transaction pass them in ascending pool id, so
    concurrent transactions lock pools in one order.
    """
    existing = await Grant.filter(key=request.key).using_db(conn).first()
    if existing is not None:
        return Granted(existing, new=False)
    spec, now = request.spec, clock.now()
    outcome, pool, cost = "granted", None, 0
    if spec.pool_id is not None:
        outcome, pool, cost = await draw_unit(conn, spec.pool_id, spec.amount)
    grant = await Grant.create(
        using_db=conn, key=request.key, user_id=request.user_id, source=request.source,
        campaign_id=request.campaign_id, reward_id=request.reward_id, kind=spec.kind,
        outcome=outcome, pool_id=spec.pool_id, cost=cost, grams=spec.grams,
        prop_kind=spec.prop_kind, quantity=spec.quantity,
        medal_name=request.medal.name if request.medal else spec.medal_name, created_at=now,
    )  # fmt: skip
    if outcome != "granted":
        return Granted(grant, new=True)
    if pool is not None:
        await record_draw(conn, clock, pool, grant.id, cost)
    voucher = await _deliver(conn, clock, request, grant, now)
    await events.publish(conn, request.user_id, "reward.granted", granted_event(grant, voucher))
    return Granted(grant, new=True, voucher=voucher)


async def _deliver(
    conn: BaseDBAsyncClient, clock: Clock, request: GrantRequest, grant: Grant, now: datetime
) -> Voucher | None:
    spec, reason = request.spec, request.reason[:280]
    if spec.kind == "energy":
        await apply_entry(
            conn, clock, user_id=request.user_id, delta=spec.grams, kind=REWARD_LEDGER_KIND,
            key=f"reward:{grant.id}", reason=reason,
        )  # fmt: skip
    elif spec.kind == "prop":
        await add_props(
            conn, clock, user_id=request.user_id, kind=PropKind(spec.prop_kind),
            quantity=spec.quantity, key=f"reward:{grant.id}", reason=reason or "reward",
        )  # fmt: skip
    elif spec.kind == "medal":
        medal = request.medal or MedalRef(code=f"grant:{grant.id}", name=spec.medal_name)
        await MedalAward.create(
            using_db=conn, user_id=request.user_id, code=medal.code, label=medal.label,
            tier=medal.tier, name=medal.name, grams=medal.grams, grant_id=grant.id,
            awarded_at=now,
        )  # fmt: skip
    elif spec.kind == "voucher" and grant.pool_id is not None:
        return await Voucher.create(
            using_db=conn, code=new_code(), pool_id=grant.pool_id, owner_id=request.user_id,
            grant_id=grant.id, face_value_fen=grant.cost, issued_at=now,
            expires_at=now + timedelta(days=spec.valid_days),
        )  # fmt: skip
    return None


def voucher_state(voucher: Voucher, now: datetime) -> str:
    """issued, redeemed, void, or expired (computed from the clock, never stored)."""
    if voucher.status == VoucherStatus.ISSUED and now >= voucher.expires_at:
        return "expired"
    return str(voucher.status)


def granted_event(grant: Grant, voucher: Voucher | None) -> dict[str, Any]:
    """The data of a `reward.granted` event."""
    return {
        "grant_id": grant.id,
        "source": grant.source,
        "campaign_id": grant.campaign_id,
        "kind": grant.kind,
        "grams": grant.grams,
        "prop": grant.prop_kind or None,
        "quantity": grant.quantity,
        "medal": grant.medal_name or None,
        "voucher": None
        if voucher is None
        else {
            "code": voucher.code,
            "face_value_fen": voucher.face_value_fen,
            "expires_at": voucher.expires_at.isoformat(),
        },
    }


@dataclass(frozen=True)
class MyReward:
    """A grant as its player sees it, with the voucher it issued."""

    grant: Grant
    voucher: Voucher | None


async def my_rewards(
    user_id: int, before_id: int | None, limit: int
) -> tuple[list[MyReward], int | None]:
    """A player's grants, newest first (those a pool could not pay included), and a cursor."""
    query = Grant.filter(user_id=user_id)
    if before_id is not None:
        query = query.filter(id__lt=before_id)
    rows = list(await query.order_by("-id").limit(limit + 1))
    page, more = rows[:limit], len(rows) > limit
    vouchers = {v.grant_id: v for v in await Voucher.filter(grant_id__in=[g.id for g in page])}
    shown = [MyReward(g, vouchers.get(g.id)) for g in page]
    return shown, (page[-1].id if more else None)
