"""`Idempotency-Key` on value-moving POSTs: a retry gets the first response and changes nothing.

Records live in the database (the record of truth) so a retry is answered the same way after a
restart or a Redis flush. Handlers opt in with `opt={"idempotent": True}`.

The record and the effect commit together or not at all: the middleware opens one transaction,
inserts the record, runs the handler inside it (the rules' own transactions become savepoints),
stores the response on the record, commits, and only then sends the response. So there is no
"in progress" state to get stuck after a crash: a crash rolls back the effect and the record, and
the retry runs for real; a concurrent retry waits on the record's unique key until the first
commits, then replays it. See docs/reliability.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.models import Model

from app.errors import PROBLEM_MEDIA_TYPE, problem_body
from core.db import in_transaction
from core.privacy import Erasure

log = structlog.get_logger("greenspark.idempotency")

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 128


class IdempotencyRecord(Model):
    """The first response given to a (caller, key) pair."""

    id = fields.BigIntField(primary_key=True)
    principal = fields.CharField(max_length=64)
    key = fields.CharField(max_length=MAX_KEY_LENGTH)
    fingerprint = fields.CharField(max_length=64)
    status_code = fields.IntField(null=True)
    content_type = fields.CharField(max_length=100, default="")
    body = fields.BinaryField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_records"
        unique_together = (("principal", "key"),)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _send_problem(send: Send, status: int, code: str, title: str, detail: str) -> None:
    body = problem_body(status, code, title, detail)
    await _send_raw(
        send,
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode())],
        },
    )
    await _send_raw(send, {"type": "http.response.body", "body": body})


async def _replay(send: Send, record: IdempotencyRecord) -> None:
    await _send_raw(
        send,
        {
            "type": "http.response.start",
            "status": int(record.status_code or 200),
            "headers": [
                (b"content-type", record.content_type.encode()),
                (b"idempotent-replayed", b"true"),
            ],
        },
    )
    await _send_raw(send, {"type": "http.response.body", "body": bytes(record.body or b"")})


async def _send_raw(send: Send, message: dict[str, Any]) -> None:
    await send(message)  # type: ignore[arg-type]


async def _read_body(receive: Receive) -> tuple[bytes, list[Any]]:
    messages: list[Any] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


@dataclass
class _Captured:
    """The handler's response, held back until its transaction has committed."""

    messages: list[Any] = field(default_factory=list)
    status: int = 500
    content_type: str = ""

    async def send(self, message: Message) -> None:
        """Keep a response message instead of sending it."""
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            for name, value in message.get("headers", []):
                if bytes(name).lower() == b"content-type":
                    self.content_type = bytes(value).decode("latin-1")
        self.messages.append(message)

    @property
    def body(self) -> bytes:
        """The response body, all parts joined."""
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )

    async def release(self, send: Send) -> None:
        """Send what the handler answered."""
        for message in self.messages:
            await send(message)


class _KeyTaken(Exception):
    """Another request committed this key first."""


class _NotAnOutcome(Exception):
    """The handler answered 5xx: roll back, store nothing, let the client retry for real."""


class IdempotencyMiddleware(ASGIMiddleware):
    """Stores the first response to each key, with its effect, and replays it to retries."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Pass through, replay, or refuse, depending on what the key has seen."""
        key = _header(scope, HEADER)
        handler = scope.get("route_handler")
        user = scope.get("user")
        opted_in = handler is not None and handler.opt.get("idempotent", False)
        if key is None or scope.get("method") != "POST" or not opted_in or user is None:
            await next_app(scope, receive, send)
            return
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            await _send_problem(
                send, 400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                f"the key must be 1 to {MAX_KEY_LENGTH} printable characters",
            )  # fmt: skip
            return
        body, messages = await _read_body(receive)
        fingerprint = hashlib.sha256(
            b"\0".join([b"POST", scope["raw_path"], scope["query_string"], body])
        ).hexdigest()
        principal = f"user:{user.id}"
        pending = list(messages)

        async def replay_receive() -> Any:
            return pending.pop(0) if pending else await receive()

        clock = scope["litestar_app"].state.clock
        captured = _Captured()
        try:
            async with in_transaction() as conn:
                try:
                    await IdempotencyRecord.create(
                        using_db=conn,
                        principal=principal,
                        key=key,
                        fingerprint=fingerprint,
                        created_at=clock.now(),
                    )
                except IntegrityError:
                    raise _KeyTaken() from None
                await next_app(scope, replay_receive, captured.send)
                if captured.status >= 500:
                    raise _NotAnOutcome()
                await (
                    IdempotencyRecord.filter(principal=principal, key=key)
                    .using_db(conn)
                    .update(
                        status_code=captured.status,
                        content_type=captured.content_type,
                        body=captured.body,
                    )
                )
        except _KeyTaken:
            await self._answer_retry(send, principal, key, fingerprint)
            return
        except _NotAnOutcome:
            pass
        except Exception as exc:
            # The commit itself failed (the database went away): nothing was stored, so the
            # handler's answer must not reach the client; a retry with the key runs again.
            log.warning("idempotent request not committed", key=key, error=repr(exc))
            await _send_problem(
                send, 503, "database-unavailable", "Temporarily unavailable",
                "the change could not be committed; retry with the same Idempotency-Key",
            )  # fmt: skip
            return
        await captured.release(send)

    async def _answer_retry(self, send: Send, principal: str, key: str, fingerprint: str) -> None:
        first = await IdempotencyRecord.get(principal=principal, key=key)
        if first.fingerprint != fingerprint:
            await _send_problem(
                send, 422, "idempotency-key-reused", "Idempotency-Key reused",
                "this key was used for a different request",
            )  # fmt: skip
        else:
            await _replay(send, first)


async def forget_keys(conn: BaseDBAsyncClient, erasure: Erasure) -> None:
    """An erased player's stored responses go (they may hold what they said about themselves)."""
    await IdempotencyRecord.filter(principal=f"user:{erasure.user_id}").using_db(conn).delete()
