"""The websocket gateway: one socket per client, the player's live events (docs/realtime.md).

Protocol: connect to /api/v1/ws?ticket=<single-use ticket from POST /api/v1/ws/tickets>
[&last_event_id=<id>] (or with an Authorization header). The server sends
events `{id, type, at, data}` as text frames (ids: increasing integers, as strings), and
`{"type": "heartbeat"}` every GREENSPARK_WS_HEARTBEAT_SECONDS. The client may send
`{"type": "ping"}` (answered with `pong`); a client that sends nothing for
GREENSPARK_WS_IDLE_TIMEOUT_SECONDS is closed (4408). A client that cannot keep up is closed
(4429) and resumes with last_event_id.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections import deque
from typing import Any, cast

import orjson
from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from app.realtime import HISTORY_PER_PLAYER, BoundedSubscriber, player_channel
from app.relay import event_json
from core.events import OutboxEvent
from core.settings import Settings
from core.users import User

EVENT_ID = re.compile(r"^\d{1,19}$")
# Ids already forwarded, remembered so that an event relayed twice reaches the client once.
SEEN_IDS = 512
CLOSE_IDLE = 4408
CLOSE_SLOW = 4429
CLOSE_TOO_BIG = 1009
CLOSE_BAD_RESUME = 4400


class SlowConsumer(Exception):
    """The client did not read its events fast enough."""


class PlayerSocket:
    """One connected client: replays what it missed, then forwards, beats and listens."""

    def __init__(self, socket: WebSocket[User, Any, Any], settings: Settings) -> None:
        self.socket = socket
        self.settings = settings
        self.floor = 0
        self.seen: deque[int] = deque(maxlen=SEEN_IDS)
        self.send_lock = asyncio.Lock()

    async def send(self, text: str) -> None:
        """Send one frame; a client that does not take it in time is too slow."""
        async with self.send_lock:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that lands as the inner call finishes, and _serve's tasks must stop when cancelled.
            try:
                async with asyncio.timeout(self.settings.ws_send_timeout_seconds):
                    await self.socket.send_text(text)
            except TimeoutError:
                raise SlowConsumer() from None

    async def replay(self, user_id: int, after: int) -> None:
        """Send the stored events newer than `after`, oldest first, from the outbox."""
        self.floor = after
        rows = (
            await OutboxEvent.filter(user_id=user_id, id__gt=after, sent_at__isnull=False)
            .order_by("id")
            .limit(HISTORY_PER_PLAYER)
        )
        for row in rows:
            await self.forward(event_json(row))

    async def forward(self, raw: bytes) -> None:
        """Send an event unless it is older than the client's start or was sent already."""
        event_id = int(orjson.loads(raw).get("id", 0))
        if event_id > self.floor and event_id not in self.seen:
            await self.send(raw.decode())
            self.seen.append(event_id)

    async def pump(self, subscriber: BoundedSubscriber) -> None:
        """Forward live events until the subscription ends or the client falls behind."""
        async for raw in subscriber.iter_events():
            if subscriber.overflowed:
                raise SlowConsumer()
            await self.forward(raw)

    async def beat(self) -> None:
        """Tell the client the connection is alive."""
        while True:
            await asyncio.sleep(self.settings.ws_heartbeat_seconds)
            await self.send('{"type":"heartbeat"}')

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
                await self.send('{"type":"pong"}')


@websocket("/api/v1/ws", opt={"websocket": True})
async def player_events(
    socket: WebSocket[User, Any, Any],
    channels: NamedDependency[ChannelsPlugin],
    settings: NamedDependency[Settings],
) -> None:
    """Stream the caller's events; `last_event_id` replays what was missed (bounded history)."""
    resume_from = socket.query_params.get("last_event_id")
    if resume_from is not None and not EVENT_ID.match(resume_from):
        # Closing before accepting refuses the handshake itself.
        await socket.close(code=CLOSE_BAD_RESUME, reason="malformed last_event_id")
        return
    await socket.accept()
    channel = player_channel(socket.user.id)
    client = PlayerSocket(socket, settings)
    async with channels.start_subscription([channel]) as subscriber:
        bounded = cast(BoundedSubscriber, subscriber)  # the plugin is configured to make these
        try:
            code, reason = await _stream(client, bounded, socket.user.id, resume_from)
        except WebSocketDisconnect:
            return
        finally:
            bounded.discard_backlog()
    with contextlib.suppress(Exception):
        # A stalled client cannot hold the handler: the close frame gets a bounded wait.
        async with asyncio.timeout(settings.ws_send_timeout_seconds):
            await socket.close(code=code, reason=reason)


async def _stream(
    client: PlayerSocket, subscriber: BoundedSubscriber, user_id: int, resume_from: str | None
) -> tuple[int, str]:
    """Replay or start fresh, then serve until the client leaves, idles or falls behind."""
    try:
        if resume_from is not None:
            await client.replay(user_id, int(resume_from))
        else:
            # The stream hands new subscribers stored entries too; a fresh client only wants
            # what happens from now on.
            latest = await OutboxEvent.all().order_by("-id").first()
            client.floor = latest.id if latest else 0
        return await _serve(client, subscriber)
    except SlowConsumer:
        return CLOSE_SLOW, "too slow; reconnect with last_event_id"


async def _serve(client: PlayerSocket, subscriber: BoundedSubscriber) -> tuple[int, str]:
    tasks = {
        asyncio.create_task(client.pump(subscriber)),
        asyncio.create_task(client.beat()),
        asyncio.create_task(client.listen()),
    }
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finished = done.pop()
    failure = finished.exception()
    if failure is not None:
        raise failure
    code = finished.result() or 1000
    return (code, "idle") if code == CLOSE_IDLE else (code, "message too big")
