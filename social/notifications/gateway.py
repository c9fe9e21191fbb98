"""The push gateway: how a push leaves the server, and its one real kind, a signed webhook.

`WebhookGateway` posts each push as JSON to `GREENSPARK_PUSH_WEBHOOK_URL`, signed with
HMAC-SHA256 under `GREENSPARK_PUSH_WEBHOOK_SECRET` over `<timestamp>.<body>` (the format and a
verification example are in docs/notifications.md#the-push-webhook). What sits behind the URL (a
company's own push service, an FCM or APNs relay) is the receiver's business; a 2xx answer means
it took the push.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
import orjson

from core.settings import Settings

SIGNATURE_HEADER = "X-Greenspark-Signature"
TIMESTAMP_HEADER = "X-Greenspark-Timestamp"
DELIVERY_HEADER = "X-Greenspark-Delivery"
# Answers that may succeed if asked again later; other 4xx answers refuse the push for good.
RETRYABLE_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class PushMessage:
    """One push to one player's devices."""

    delivery_id: int
    attempt: int
    sent_at: int
    body: Mapping[str, Any]


class PushFailed(Exception):
    """The gateway did not take the push; `permanent` when asking again cannot help."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class PushGateway(Protocol):
    """Where pushes go; raises PushFailed when one was not taken."""

    async def send(self, message: PushMessage) -> None:
        """Hand one push over."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 of `<timestamp>.<body>` under the shared secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


class WebhookGateway:
    """Posts signed JSON to one URL over a kept-alive HTTP client."""

    def __init__(self, url: str, secret: str, timeout: float) -> None:
        self.url = url
        self.secret = secret
        self.client = httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookGateway | None:
        """The configured webhook, or None when push is not configured."""
        if not settings.push_webhook_url or not settings.push_webhook_secret:
            return None
        return cls(
            settings.push_webhook_url, settings.push_webhook_secret, settings.push_timeout_seconds
        )

    async def send(self, message: PushMessage) -> None:
        """POST the push; anything but a 2xx answer is a failure."""
        body = orjson.dumps(message.body)
        headers = {
            "Content-Type": "application/json",
            DELIVERY_HEADER: str(message.delivery_id),
            TIMESTAMP_HEADER: str(message.sent_at),
            SIGNATURE_HEADER: signature(self.secret, message.sent_at, body),
        }
        try:
            response = await self.client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise PushFailed(f"{type(exc).__name__}: {exc}"[:280]) from None
        if 200 <= response.status_code < 300:
            return
        status = response.status_code
        permanent = 400 <= status < 500 and status not in RETRYABLE_STATUSES
        raise PushFailed(f"HTTP {status}", permanent=permanent)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()
