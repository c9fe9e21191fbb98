"""The websocket gateway: one socket per client, the player's live events (DESIGN §4).

Protocol: connect to /api/v1/ws?token=<access token>[&last_event_id=<id>]. The server sends
events `{id, type, at, data}` as text frames, and `{"type": "heartbeat"}` every
GREENSPARK_WS_HEARTBEAT_SECONDS. The client may send `{"type": "ping"}` (answered with
`pong`); a client that sends nothing for GREENSPARK_WS_IDLE_TIMEOUT_SECONDS is closed (4408).
A client that cannot keep up is closed (4429) and resumes with last_event_id.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from typing import Any, cast

import orjson
from litestar import WebSocket, websocket
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.redis import RedisChannelsStreamBackend
from litestar.di import NamedDependency
from litestar.exceptions import WebSocketDisconnect

from app.auth.models import User
from app.realtime import HISTORY_PER_PLAYER, BoundedSubscriber, event_id_floor, player_channel
from app.settings import Settings

EVENT_ID = re.compile(r"^\d{13}-\d{5}-\d{6}$")
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
        self.last_sent = ""
        self.send_lock = asyncio.Lock()

    async def send(self, text: str) -> None:
        """Send one frame; a client that does not take it in time is too slow."""
        async with self.send_lock:
            try:
                await asyncio.wait_for(
                    self.socket.send_text(text), self.settings.ws_send_timeout_seconds
                )
            except TimeoutError:
                raise SlowConsumer() from None

    async def replay(self, history: list[bytes], after: str) -> None:
        """Send the stored events newer than `after`, oldest first."""
        self.last_sent = after
        for raw in history:
            await self.forward(raw)

    async def forward(self, raw: bytes) -> None:
        """Send an event unless the client has it already."""
        event_id = str(orjson.loads(raw).get("id", ""))
        if event_id > self.last_sent:
            await self.send(raw.decode())
            self.last_sent = event_id

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
                text = await asyncio.wait_for(
                    self.socket.receive_text(), self.settings.ws_idle_timeout_seconds
                )
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
    channel_history: NamedDependency[RedisChannelsStreamBackend],
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
            code, reason = await _stream(client, bounded, channel_history, channel, resume_from)
        except WebSocketDisconnect:
            return
        finally:
            bounded.discard_backlog()
    with contextlib.suppress(Exception):
        # A stalled client cannot hold the handler: the close frame gets a bounded wait.
        await asyncio.wait_for(
            socket.close(code=code, reason=reason), settings.ws_send_timeout_seconds
        )


async def _stream(
    client: PlayerSocket,
    subscriber: BoundedSubscriber,
    history: RedisChannelsStreamBackend,
    channel: str,
    resume_from: str | None,
) -> tuple[int, str]:
    """Replay or start fresh, then serve until the client leaves, idles or falls behind."""
    try:
        if resume_from is not None:
            await client.replay(await history.get_history(channel, HISTORY_PER_PLAYER), resume_from)
        else:
            # The stream hands new subscribers stored entries too; a fresh client
            # only wants what happens from now on.
            client.last_sent = event_id_floor(time.time_ns() // 1_000_000 - 1)
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
