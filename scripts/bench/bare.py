"""The framework's ceiling: a bare Litestar JSON endpoint, served by uvicorn like the app.

`uvicorn scripts.bench.bare:app` is the baseline every hot-path figure is a ratio of.
"""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import Litestar, WebSocket, get, websocket
from litestar.exceptions import WebSocketDisconnect


@get("/hello")
async def hello() -> dict[str, str]:
    """A constant JSON document: no middleware, no database, no Redis."""
    return {"hello": "world"}


app = Litestar([hello])


@websocket("/ws")
async def idle_socket(socket: WebSocket[Any, Any, Any]) -> None:
    """A socket that only waits for the client: the framework's cost of one open socket."""
    await socket.accept()
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await socket.receive_text()


sockets_app = Litestar([hello, idle_socket])
