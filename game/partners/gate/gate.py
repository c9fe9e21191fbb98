"""The gate every partner call passes: audit, signature, replay, rate limit, then the work
(docs/partners.md#refusals).

Each call gets an audit row before anything else. A call whose signature checks out claims its
signature on that row (a unique column): a second arrival of the same signed request loses the
claim and is refused as a replay. Only then is the partner's rate limit counted, so nobody can
spend a partner's limit without its secret.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

import structlog
from redis.asyncio import Redis
from redis.exceptions import RedisError
from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.errors import DomainError, Forbidden, Limited
from core.ratelimit import count_hit
from game.partners import metrics
from game.partners.gate.models import PartnerCall
from game.partners.gate.signing import (
    ReplayedRequest,
    SignedRequest,
    Verified,
    require_headers,
    signed_moment,
    verify_signature,
)
from game.partners.platforms.keys import SecretBox
from game.partners.platforms.models import PartnerKey, PartnerPlatform
from game.partners.platforms.registry import PartnerRules

log = structlog.get_logger("greenspark.partners")

RATE_WINDOW_SECONDS = 60
# A rate limiter that does not answer in this time is treated as down (the call goes on).
RATE_LIMIT_TIMEOUT_SECONDS = 1.0


class PartnerRateLimited(Limited):
    """The partner sent more calls this minute than its limit."""

    code = "partner-rate-limited"
    title = "Too many calls from this partner"


@dataclass(frozen=True)
class Gate:
    """What the gate needs: the clock, the secrets, the partner rules and Redis for limits."""

    clock: Clock
    box: SecretBox
    rules: PartnerRules
    redis: Redis
    redis_prefix: str


@dataclass(frozen=True)
class PartnerCaller:
    """A call that passed the gate: who sent it, with which key, and its audit row."""

    call_id: int
    platform: PartnerPlatform
    key_id: str


class Outcome(Protocol):
    """What a partner call's work returns: counts by status and grams, for the audit."""

    @property
    def items(self) -> int:
        """How many items the call carried."""
        ...

    @property
    def counts(self) -> Mapping[str, int]:
        """Items by status."""
        ...

    @property
    def grams(self) -> int:
        """Grams credited."""
        ...


R = TypeVar("R", bound=Outcome)


class ScopeMissing(Forbidden):
    """The partner is not registered for this kind of call (its `scopes`)."""

    code = "partner-scope-missing"
    title = "The partner may not make this call"


def require_scope(caller: PartnerCaller, scope: str) -> None:
    """Refuse with ScopeMissing unless the platform was registered with `scope`."""
    if scope not in caller.platform.scopes:
        raise ScopeMissing(f"{caller.platform.name} is not registered for {scope}", scope=scope)


@dataclass(frozen=True)
class SingleOutcome:
    """The audit outcome of a call that does one thing (announce an event, weigh a pick-up)."""

    status: str
    grams: int = 0

    @property
    def items(self) -> int:
        """One thing done."""
        return 1

    @property
    def counts(self) -> Mapping[str, int]:
        """That one thing by its status."""
        return {self.status: 1}


async def partner_call(
    gate: Gate,
    signed: SignedRequest,
    work: Callable[[PartnerCaller], Awaitable[R]],
    scope: str | None = None,
) -> R:
    """Audit the call, let it through the gate (and its `scope`, when one is needed), run the
    work and record what came of it."""
    call = await PartnerCall.create(
        key_id=(signed.key_id or "")[:40],
        method=signed.method[:8],
        path=signed.path[:200],
        address=signed.address[:64],
        received_at=gate.clock.now(),
        body_sha256=hashlib.sha256(signed.body).hexdigest(),
        body_bytes=len(signed.body),
    )
    platform_id: int | None = None
    try:
        caller = await _admit(gate, signed, call)
        platform_id = caller.platform.id
        if scope is not None:
            require_scope(caller, scope)
        result = await work(caller)
    except DomainError as error:
        platform_id = platform_id or (await _platform_of(call.id))
        await _finish(gate, call.id, platform_id, error.code)
        raise
    except Exception:
        await _finish(gate, call.id, platform_id, "internal-error")
        raise
    await _finish(gate, call.id, platform_id, "ok", result)
    return result


async def _admit(gate: Gate, signed: SignedRequest, call: PartnerCall) -> PartnerCaller:
    require_headers(signed)
    key = await PartnerKey.filter(key_id=signed.key_id).select_related("platform").first()
    if key is not None:
        # Refusals from here on show in that partner's audit log (a skewed clock, a bad secret).
        await PartnerCall.filter(id=call.id).update(platform_id=key.platform_id)
    moment = signed_moment(signed, gate.clock, gate.rules.signature_window)
    verified = verify_signature(gate.clock, gate.box, key, signed, moment)
    await _claim(call.id, verified)
    platform = verified.key.platform
    await _within_rate(gate, platform)
    return PartnerCaller(call_id=call.id, platform=platform, key_id=verified.key.key_id)


async def _claim(call_id: int, verified: Verified) -> None:
    try:
        await PartnerCall.filter(id=call_id).update(
            signature=verified.signature, signed_at=verified.signed_at
        )
    except IntegrityError:
        raise ReplayedRequest("sign every attempt afresh (a new timestamp)") from None


async def _within_rate(gate: Gate, platform: PartnerPlatform) -> None:
    """Count the call in the partner's minute; over the limit is refused with Retry-After.

    The counter lives in Redis so every process shares it (one MULTI: atomic). If Redis does not
    answer, the call goes on unmetered: the daily gram budget, kept in the database, still bounds
    what a partner can credit.
    """
    key = f"{gate.redis_prefix}partner:{platform.id}:calls"
    try:
        window = await asyncio.wait_for(
            count_hit(gate.redis, key, RATE_WINDOW_SECONDS), RATE_LIMIT_TIMEOUT_SECONDS
        )
    except (RedisError, OSError, TimeoutError) as exc:
        metrics.RATE_LIMITER_DOWN.inc()
        log.warning("partner rate limiter unavailable", partner=platform.id, error=repr(exc))
        return
    if window.count > platform.requests_per_minute:
        raise PartnerRateLimited(
            f"at most {platform.requests_per_minute} calls a minute",
            retry_after=window.retry_after,
            limit=platform.requests_per_minute,
        )


async def _platform_of(call_id: int) -> int | None:
    call = await PartnerCall.get_or_none(id=call_id)
    return call.platform_id if call else None


async def _finish(
    gate: Gate, call_id: int, platform_id: int | None, outcome: str, result: Outcome | None = None
) -> None:
    """Record the outcome on the audit row and in the metrics.

    A failure here is logged, never raised: the work may have committed, and a committed change
    must not answer 5xx.
    """
    if platform_id is None:
        metrics.REFUSED_UNSIGNED.labels(outcome).inc()
    else:
        metrics.CALLS.labels(str(platform_id), outcome).inc()
    try:
        await PartnerCall.filter(id=call_id).update(
            outcome=outcome,
            items=result.items if result else 0,
            counts=dict(result.counts) if result else {},
            grams=result.grams if result else 0,
            finished_at=gate.clock.now(),
        )
    except Exception as exc:
        log.error("partner call audit not recorded", call_id=call_id, error=repr(exc))
