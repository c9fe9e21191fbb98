"""Sending pushes from the worker: retries with backoff, quiet hours, the dead-letter list.

`send_due_pushes` is the worker's push job (docs/notifications.md#delivery). It claims due
deliveries with a short lease in one transaction, sends them with no transaction open (a slow
receiver never holds a database lock), then records each outcome guarded by the attempt it
claimed, so two workers never record one attempt twice. A worker that dies mid-send leaves the
lease to run out and the push to be tried again: delivery is at least once, and the
`X-Greenspark-Delivery` header lets the receiver drop a repeat.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.clock import Clock
from core.db import in_transaction
from core.settings import Settings
from core.users import User
from social.notifications.devices import devices_of
from social.notifications.gateway import PushFailed, PushGateway, PushMessage
from social.notifications.inbox import unread_count
from social.notifications.kinds import actor_of, push_text
from social.notifications.models import Notification, PushDelivery
from social.notifications.preferences import preferences_of

# Claimed together and sent side by side: one batch takes about one timeout at worst, well
# inside its lease, so a second worker never takes a push that is still being sent.
BATCH = 20


@dataclass(frozen=True)
class PushRules:
    """Attempts, backoff and the sending lease, from settings."""

    max_attempts: int
    backoff: timedelta
    lease: timedelta
    default_tz: ZoneInfo

    @classmethod
    def from_settings(cls, settings: Settings) -> PushRules:
        """GREENSPARK_PUSH_MAX_ATTEMPTS, _BACKOFF_SECONDS; the lease outlasts two timeouts."""
        return cls(
            max_attempts=settings.push_max_attempts,
            backoff=timedelta(seconds=settings.push_backoff_seconds),
            lease=timedelta(seconds=2 * settings.push_timeout_seconds + 30),
            default_tz=settings.tz,
        )

    def retry_after(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure: backoff, then twice that, and so on."""
        return timedelta(seconds=self.backoff.total_seconds() * 2 ** (attempts - 1))


async def _claim(now: datetime, lease: timedelta, batch: int) -> list[PushDelivery]:
    """Take due deliveries for this worker until the lease runs out."""
    async with in_transaction() as conn:
        due = (
            await PushDelivery.filter(status="pending", next_attempt_at__lte=now)
            .using_db(conn)
            .order_by("next_attempt_at", "id")
            .limit(batch)
            .select_for_update(skip_locked=True)
        )
        if due:
            await (
                PushDelivery.filter(id__in=[d.id for d in due])
                .using_db(conn)
                .update(next_attempt_at=now + lease)
            )
    return list(due)


async def _record(delivery: PushDelivery, **changes: Any) -> None:
    """Record an outcome, unless another worker already recorded this attempt."""
    await PushDelivery.filter(id=delivery.id, status="pending", attempts=delivery.attempts).update(
        **changes
    )


async def _drop(delivery: PushDelivery, now: datetime, reason: str) -> str:
    await _record(delivery, status="dropped", last_error=reason, finished_at=now)
    return "dropped"


async def _message(
    delivery: PushDelivery, note: Notification, devices: list[Any], sent_at: datetime
) -> PushMessage:
    actor = actor_of(note.data)
    user = await User.get_or_none(id=actor) if actor is not None else None
    title, text = push_text(note.kind, note.data, user.display_name if user else "")
    body = {
        "delivery_id": delivery.id,
        "user_id": delivery.user_id,
        "devices": [{"id": d.id, "platform": d.platform, "token": d.token} for d in devices],
        "notification": {
            "id": note.id, "kind": note.kind, "type": note.event_type, "title": title,
            "body": text, "data": note.data, "created_at": note.created_at.isoformat(),
        },
        "unread": await unread_count(delivery.user_id),
    }  # fmt: skip
    return PushMessage(delivery.id, delivery.attempts + 1, int(sent_at.timestamp()), body)


async def _deliver(
    clock: Clock, gateway: PushGateway | None, rules: PushRules, delivery: PushDelivery
) -> str:
    """Send one claimed push, or hold, drop or reschedule it; returns what happened."""
    now = clock.now()
    note = await Notification.get_or_none(id=delivery.notification_id)
    if note is None:
        return await _drop(delivery, now, "the notification was deleted")
    if delivery.not_after is not None and now >= delivery.not_after:
        return await _drop(delivery, now, "no longer relevant")
    chosen = await preferences_of(delivery.user_id)
    choice = chosen.kinds.get(delivery.kind)
    if choice is None or not (choice.inbox and choice.push):
        return await _drop(delivery, now, "the player turned this kind off")
    player = await User.get_or_none(id=delivery.user_id)
    tz = ZoneInfo(player.timezone) if player and player.timezone else rules.default_tz
    quiet_until = chosen.quiet.holds(now, tz) if chosen.quiet else None
    if quiet_until is not None:
        await _record(delivery, next_attempt_at=quiet_until)
        return "held"
    devices = await devices_of(delivery.user_id)
    if not devices:
        return await _drop(delivery, now, "no device registered")
    if gateway is None:
        return await _drop(delivery, now, "push is not configured")
    attempts = delivery.attempts + 1
    try:
        await gateway.send(await _message(delivery, note, devices, now))
    except PushFailed as failed:
        if failed.permanent or attempts >= rules.max_attempts:
            await _record(
                delivery, status="dead", attempts=attempts, last_error=failed.reason,
                finished_at=clock.now(),
            )  # fmt: skip
            return "dead"
        await _record(
            delivery, attempts=attempts, last_error=failed.reason,
            next_attempt_at=clock.now() + rules.retry_after(attempts),
        )  # fmt: skip
        return "retry"
    await _record(delivery, status="sent", attempts=attempts, finished_at=clock.now())
    return "sent"


async def send_due_pushes(
    clock: Clock, gateway: PushGateway | None, rules: PushRules, batch: int = BATCH
) -> Counter[str]:
    """Send every push that is due; returns how many were sent, held, retried, dead, dropped."""
    outcomes: Counter[str] = Counter()
    while claimed := await _claim(clock.now(), rules.lease, batch):
        sent = await asyncio.gather(*(_deliver(clock, gateway, rules, d) for d in claimed))
        outcomes.update(sent)
        if len(claimed) < batch:
            break
    return outcomes


async def dead_letters(limit: int = 100) -> list[PushDelivery]:
    """Pushes given up on, newest first."""
    return list(await PushDelivery.filter(status="dead").order_by("-id").limit(limit))


async def retry_dead_letters(clock: Clock, ids: list[int] | None = None) -> int:
    """Put dead pushes back in the queue with fresh attempts; returns how many."""
    dead = PushDelivery.filter(status="dead")
    if ids is not None:
        dead = dead.filter(id__in=ids)
    return int(
        await dead.update(
            status="pending", attempts=0, next_attempt_at=clock.now(), finished_at=None
        )
    )
