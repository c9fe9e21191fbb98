"""The websocket gateway: one socket per client, the player's live events (docs/realtime.md).

Protocol: connect to /api/v1/ws?ticket=<single-use ticket from POST /api/v1/ws/tickets>
[&last_event_id=<id>] (or with an Authorization header). The server sends
events `{id, type, at, data}` as text frames (ids: increasing integers, as strings), and
`{"type": "heartbeat"}` every GREENSPARK_WS_HEARTBEAT_SECONDS. The client may send
`{"type": "ping"}` (answered with `pong`); a client that sends nothing for
GREENSPARK_WS_IDLE_TIMEOUT_SECONDS is closed (4408). A client that cannot keep up is closed
(4429) and resumes with last_event_id. A socket whose session ends (logout, a reused refresh
token, a deletion request) is closed with 4401.

A connected socket costs one task (its handler, waiting for the client's next frame) and a few
small objects: events reach it from the process's one subscription (app/realtime.py), a sending
task exists only while frames wait, and one task per process sends every socket's heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import deque
from typing import Any

import orjson
from litestar import WebSocket, websocket
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from app.auth.cache import EVERY_SESSION_ENDED, ONE_SESSION_ENDED
from app.metrics import SOCKETS
from app.realtime import HISTORY_PER_PLAYER, SUBSCRIBER_BACKLOG, EventRouter
from app.relay import event_json
from core.events import OutboxEvent
from core.settings import Settings
from core.users import User

EVENT_ID = re.compile(r"^\d{1,19}$")
# Ids already forwarded, remembered so that an event relayed twice reaches the client once.
SEEN_IDS = 128
CLOSE_IDLE = 4408
CLOSE_SLOW = 4429
CLOSE_TOO_BIG = 1009
CLOSE_BAD_RESUME = 4400
CLOSE_SESSION_ENDED = 4401
HEARTBEAT = b'{"type":"heartbeat"}'
PONG = b'{"type":"pong"}'
REASONS = {
    CLOSE_IDLE: "idle",
    CLOSE_SLOW: "too slow; reconnect with last_event_id",
    CLOSE_TOO_BIG: "message too big",
    CLOSE_SESSION_ENDED: "session ended; log in again",
}


# Replays after a broken subscription, held until done (the loop keeps only weak references).
_CATCHING_UP: set[asyncio.Task[None]] = set()


class SlowConsumer(Exception):
    """The client did not read its events fast enough."""


class PlayerSocket:
    """One connected client: replays what it missed, then forwards what the router pushes."""

    __slots__ = (
        "close_code",
        "floor",
        "handler",
        "last_id",
        "queue",
        "seen",
        "sending",
        "session_id",
        "settings",
        "socket",
        "user_id",
    )  # fmt: skip

    def __init__(self, socket: WebSocket[User, Any, Any], settings: Settings) -> None:
        self.socket = socket
        self.settings = settings
        self.user_id = socket.user.id
        self.session_id = socket.user.session_id
        self.handler = asyncio.current_task()
        self.floor = 0
        self.last_id = 0
        self.seen: deque[int] = deque(maxlen=SEEN_IDS)
        self.queue: deque[bytes] = deque()
        self.sending: asyncio.Task[None] | None = None
        self.close_code: int | None = None

    # ------------------------------------------------------------------ frames out

    def push(self, raw: bytes) -> None:
        """Queue a frame (an event, a heartbeat, a pong); a full backlog means too slow."""
        if self.close_code is not None:
            return
        if len(self.queue) >= SUBSCRIBER_BACKLOG:
            self.fail(CLOSE_SLOW)
            return
        self.queue.append(raw)
        if self.sending is None:
            self.sending = asyncio.create_task(self._drain())

    def resync(self) -> None:
        """The process's subscription was broken: replay what was sent since the last event."""
        # From the oldest id still remembered: events of concurrent changes may arrive out of
        # id order, so one older than the newest may be the one that was missed.
        task = asyncio.create_task(self.replay(min(self.seen, default=self.floor)))
        _CATCHING_UP.add(task)
        task.add_done_callback(_CATCHING_UP.discard)

    def fail(self, code: int) -> None:
        """Close the socket with `code`: the handler is woken to do it."""
        if self.close_code is None:
            self.close_code = code
            if self.handler is not None:
                self.handler.cancel()

    async def _drain(self) -> None:
        try:
            while self.queue:
                await self._forward(self.queue.popleft())
        except SlowConsumer:
            self.fail(CLOSE_SLOW)
        except Exception:  # the client went away; the handler notices on its side
            self.queue.clear()
        finally:
            self.sending = None

    async def _forward(self, raw: bytes) -> None:
        """Send a frame; an event only if newer than the client's start and not sent before."""
        if raw.startswith(b'{"id"'):
            event_id = int(orjson.loads(raw).get("id", 0))
            if event_id <= self.floor or event_id in self.seen:
                return
            self.seen.append(event_id)
            self.last_id = max(self.last_id, event_id)
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation.
        try:
            async with asyncio.timeout(self.settings.ws_send_timeout_seconds):
                await self.socket.send_text(raw.decode())
        except TimeoutError:
            raise SlowConsumer() from None

    async def replay(self, after: int) -> None:
        """Queue the stored events newer than `after`, oldest first, from the outbox."""
        rows = (
            await OutboxEvent.filter(user_id=self.user_id, id__gt=after, sent_at__isnull=False)
            .order_by("id")
            .limit(HISTORY_PER_PLAYER)
        )
        for row in rows:
            self.push(event_json(row))

    # ------------------------------------------------------------------ frames in

    async def listen(self) -> int:
        """Read client frames; returns the close code when the client goes quiet or misbehaves."""
        while True:
            try:
                async with asyncio.timeout(self.settings.ws_idle_timeout_seconds):
                    text = await self.socket.receive_text()
            except TimeoutError:
                return CLOSE_IDLE
            if len(text.encode()) > self.settings.ws_max_message_bytes:
                return CLOSE_TOO_BIG
            if text.strip() in ('{"type":"ping"}', '{"type": "ping"}'):
                self.push(PONG)


@websocket("/api/v1/ws", opt={"websocket": True})
async def player_events(
    socket: WebSocket[User, Any, Any],
    router: NamedDependency[EventRouter],
    settings: NamedDependency[Settings],
) -> None:
    """Stream the caller's events; `last_event_id` replays what was missed (bounded history)."""
    resume_from = socket.query_params.get("last_event_id")
    if resume_from is not None and not EVENT_ID.match(resume_from):
        # Closing before accepting refuses the handshake itself.
        await socket.close(code=CLOSE_BAD_RESUME, reason="malformed last_event_id")
        return
    await socket.accept()
    client = PlayerSocket(socket, settings)
    # Routed before the starting point is read, so nothing falls between the two.
    router.add(client.user_id, client)
    _BY_SESSION.setdefault(client.session_id, set()).add(client)
    SOCKETS.inc()
    try:
        code = await _serve(client, resume_from)
    except WebSocketDisconnect:
        return
    finally:
        SOCKETS.dec()
        router.discard(client.user_id, client)
        _forget_socket(client)
        if client.sending is not None:
            client.sending.cancel()
    with contextlib.suppress(Exception):
        # A stalled client cannot hold the handler: the close frame gets a bounded wait.
        async with asyncio.timeout(settings.ws_send_timeout_seconds):
            await socket.close(code=code, reason=REASONS.get(code, ""))


# This process's sockets by the session that opened them, to close them when it ends.
_BY_SESSION: dict[str, set[PlayerSocket]] = {}


def _forget_socket(client: PlayerSocket) -> None:
    sockets = _BY_SESSION.get(client.session_id)
    if sockets is not None:
        sockets.discard(client)
        if not sockets:
            del _BY_SESSION[client.session_id]


def close_ended_sessions(router: EventRouter, kind: str, ident: str) -> None:
    """Close this process's sockets of a session that ended, or of every session of a player."""
    if kind == ONE_SESSION_ENDED:
        ended: set[Any] = set(_BY_SESSION.get(ident, ()))
    elif kind == EVERY_SESSION_ENDED and ident.isdigit():
        ended = set(router.subscribers.get(int(ident), ()))
    else:
        return
    for client in ended:
        if isinstance(client, PlayerSocket):
            client.fail(CLOSE_SESSION_ENDED)


async def _serve(client: PlayerSocket, resume_from: str | None) -> int:
    """Replay or start fresh, then listen until the client leaves, idles or falls behind."""
    try:
        if resume_from is not None:
            client.floor = int(resume_from)
            await client.replay(client.floor)
        else:
            # A fresh client only wants what happens from now on.
            latest = await OutboxEvent.all().order_by("-id").only("id").first()
            client.floor = latest.id if latest else 0
        return await client.listen()
    except asyncio.CancelledError:
        if client.close_code is None:
            raise
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        return client.close_code


async def send_heartbeats(router: EventRouter, seconds: float) -> None:
    """Every `seconds`, a heartbeat frame to every socket this process serves (one task)."""
    while True:
        await asyncio.sleep(seconds)
        for subscribers in tuple(router.subscribers.values()):
            for subscriber in tuple(subscribers):
                if isinstance(subscriber, PlayerSocket):
                    subscriber.push(HEARTBEAT)
