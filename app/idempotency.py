"""`Idempotency-Key` on value-moving POSTs: a retry gets the first response and changes nothing.

Records live in the database (the record of truth) so a retry is answered the same way after a
restart or a Redis flush. Handlers opt in with `opt={"idempotent": True}`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from tortoise import fields
from tortoise.exceptions import IntegrityError
from tortoise.models import Model

from app.errors import PROBLEM_MEDIA_TYPE, problem_body

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


class IdempotencyMiddleware(ASGIMiddleware):
    """Stores the first response to each key and replays it to retries."""

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
        clock = scope["litestar_app"].state.clock
        try:
            record = await IdempotencyRecord.create(
                principal=principal, key=key, fingerprint=fingerprint, created_at=clock.now()
            )
        except IntegrityError:
            await self._answer_retry(send, principal, key, fingerprint)
            return
        await self._run_and_store(scope, messages, receive, send, next_app, record)

    async def _answer_retry(self, send: Send, principal: str, key: str, fingerprint: str) -> None:
        first = await IdempotencyRecord.get(principal=principal, key=key)
        if first.fingerprint != fingerprint:
            await _send_problem(
                send, 422, "idempotency-key-reused", "Idempotency-Key reused",
                "this key was used for a different request",
            )  # fmt: skip
        elif first.status_code is None:
            await _send_problem(
                send, 409, "idempotency-in-progress", "Request in progress",
                "the first request with this key has not finished; retry shortly",
            )  # fmt: skip
        else:
            await _replay(send, first)

    async def _run_and_store(
        self,
        scope: Scope,
        messages: list[Any],
        receive: Receive,
        send: Send,
        next_app: ASGIApp,
        record: IdempotencyRecord,
    ) -> None:
        pending = list(messages)

        async def replay_receive() -> Any:
            return pending.pop(0) if pending else await receive()

        captured: dict[str, Any] = {"status": 500, "content_type": "", "body": []}

        async def capture_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                for name, value in message.get("headers", []):
                    if bytes(name).lower() == b"content-type":
                        captured["content_type"] = bytes(value).decode("latin-1")
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            await send(message)

        try:
            await next_app(scope, replay_receive, capture_send)
        finally:
            if captured["status"] >= 500:
                # A server fault is not an answer: let the client retry for real.
                await IdempotencyRecord.filter(id=record.id).delete()
            else:
                await IdempotencyRecord.filter(id=record.id).update(
                    status_code=captured["status"],
                    content_type=captured["content_type"],
                    body=b"".join(captured["body"]),
                )
