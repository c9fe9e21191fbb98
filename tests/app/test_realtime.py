"""Live events across processes: a player on process A sees a steal made through process B."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.players import PASSWORD
from tests.servers import Server, server_env


@pytest.fixture
def two_servers(settings, app, tmp_path):
    """Two server processes on one database and one Redis; bubbles ripen at once."""
    env = server_env(settings, GREENSPARK_RIPEN_DELAY_SECONDS="0")
    first = Server(env, tmp_path / "a.log")
    try:
        second = Server(env, tmp_path / "b.log")
    except BaseException:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()


async def _player(http: httpx.AsyncClient, base: str) -> dict:
    name = f"p{uuid.uuid4().hex[:10]}"
    made = await http.post(
        f"{base}/api/v1/auth/register", json={"username": name, "password": PASSWORD}
    )
    assert made.status_code == 201, made.text
    login = await http.post(
        f"{base}/api/v1/auth/login", json={"username": name, "password": PASSWORD}
    )
    token = login.json()["access_token"]
    return {
        "id": made.json()["id"],
        "name": name,
        "token": token,
        "headers": {"Authorization": f"Bearer {token}"},
    }


async def _ws_url(server: Server, player: dict, **query: str) -> str:
    """A handshake URL with a fresh single-use ticket (tokens never go in URLs)."""
    async with httpx.AsyncClient(timeout=10) as http:
        issued = await http.post(f"{server.base}/api/v1/ws/tickets", headers=player["headers"])
    assert issued.status_code == 201, issued.text
    params = "&".join(f"{k}={v}" for k, v in {"ticket": issued.json()["ticket"], **query}.items())
    return f"{server.ws_base}/api/v1/ws?{params}"


async def _befriend(http, base, a, b) -> None:
    asked = await http.post(
        f"{base}/api/v1/friends/requests", json={"user_id": b["id"]}, headers=a["headers"]
    )
    request_id = asked.json()["request"]["id"]
    accepted = await http.post(
        f"{base}/api/v1/friends/requests/{request_id}/accept", headers=b["headers"]
    )
    assert accepted.status_code == 200


async def _bubble(http, base, owner, scenario) -> int:
    reported = await http.post(
        f"{base}/api/v1/actions",
        json={"scenario": scenario, "quantity": "1"},
        headers=owner["headers"],
    )
    assert reported.status_code == 201, reported.text
    return int(reported.json()["bubble"]["id"])


async def _events(ws, count: int, wait: float = 1.0) -> list[dict]:
    events = []
    while len(events) < count:
        event = orjson.loads(await asyncio.wait_for(ws.recv(), wait))
        if event["type"] != "heartbeat":
            events.append(event)
    return events


async def test_steal_on_b_reaches_socket_on_a_and_resume_replays_once(two_servers):
    a, b = two_servers
    async with httpx.AsyncClient(timeout=10) as http:
        owner, *friends = [await _player(http, a.base) for _ in range(4)]
        for friend in friends:
            await _befriend(http, a.base, owner, friend)
        bubbles = [
            await _bubble(http, a.base, owner, s)
            for s in ("reusable_cup", "no_plastic_bag", "no_plastic_bag")
        ]
        async with connect(await _ws_url(a, owner)) as ws:
            started = time.perf_counter()
            stolen = await http.post(
                f"{b.base}/api/v1/bubbles/{bubbles[0]}/steal", headers=friends[0]["headers"]
            )
            assert stolen.status_code == 200, stolen.text
            (first,) = await _events(ws, 1, wait=1.0)
            assert time.perf_counter() - started < 1.0
        assert first["type"] == "bubble.stolen"
        assert first["data"] == {
            "bubble_id": bubbles[0],
            "by_user_id": friends[0]["id"],
            "by_name": friends[0]["name"],
            "grams": 7,
            "remaining": 18,
        }

        # While the owner is away, two more friends steal through B.
        for friend, bubble_id in zip(friends[1:], bubbles[1:], strict=True):
            response = await http.post(
                f"{b.base}/api/v1/bubbles/{bubble_id}/steal", headers=friend["headers"]
            )
            assert response.status_code == 200
        async with connect(await _ws_url(a, owner, last_event_id=first["id"])) as ws:
            # Each steal is followed by the notification it left in the owner's inbox.
            replayed = await _events(ws, 5)
            with pytest.raises(TimeoutError):
                await _events(ws, 1, wait=0.5)
        notices = [e["data"]["unread"] for e in replayed if e["type"] == "notification.new"]
        assert notices == [1, 2, 3]
        missed = [e for e in replayed if e["type"] == "bubble.stolen"]
        assert [e["data"]["bubble_id"] for e in missed] == bubbles[1:]
        assert [e["data"]["by_user_id"] for e in missed] == [f["id"] for f in friends[1:]]
        assert missed[0]["id"] > first["id"] and missed[1]["id"] > missed[0]["id"]


async def test_handshake_refuses_bad_tokens_and_bad_resume_ids(two_servers):
    a, b = two_servers
    async with httpx.AsyncClient(timeout=10) as http:
        player = await _player(http, a.base)
    # The long-lived access token is not accepted in the URL, only single-use tickets are.
    for query in ("", "?token=not-a-jwt", "?token=", f"?token={player['token']}", "?ticket=x"):
        with pytest.raises(InvalidStatus):
            async with connect(f"{a.ws_base}/api/v1/ws{query}"):
                pass
    with pytest.raises(InvalidStatus):
        async with connect(await _ws_url(a, player, last_event_id="yesterday")):
            pass
    url = await _ws_url(a, player)
    async with connect(url) as ws:
        await ws.send('{"type":"ping"}')
        assert orjson.loads(await asyncio.wait_for(ws.recv(), 2)) == {"type": "pong"}
    with pytest.raises(InvalidStatus):  # a ticket works once, on any process
        async with connect(url.replace(a.ws_base, b.ws_base)):
            pass
    # Clients that can set headers may still send the access token there.
    headers = {"Authorization": f"Bearer {player['token']}"}
    async with connect(f"{b.ws_base}/api/v1/ws", additional_headers=headers) as ws:
        await ws.send('{"type":"ping"}')
        assert orjson.loads(await asyncio.wait_for(ws.recv(), 2)) == {"type": "pong"}
    logs = (a.log.read_text() if a.log else "") + (b.log.read_text() if b.log else "")
    assert player["token"] not in logs
    assert url.split("ticket=")[1] not in logs


async def test_ping_pong_oversized_messages_and_idle_peers(settings, app, tmp_path):
    env = server_env(
        settings, GREENSPARK_WS_IDLE_TIMEOUT_SECONDS="1.5", GREENSPARK_WS_HEARTBEAT_SECONDS="0.5"
    )
    server = Server(env, tmp_path / "s.log")
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            player = await _player(http, server.base)
        async with connect(await _ws_url(server, player)) as ws:
            await ws.send('{"type":"ping"}')
            frames = [orjson.loads(await asyncio.wait_for(ws.recv(), 2)) for _ in range(2)]
            assert {"type": "pong"} in frames or {"type": "heartbeat"} in frames
            with pytest.raises(ConnectionClosed) as idle:
                while True:
                    await asyncio.wait_for(ws.recv(), 5)
            assert idle.value.rcvd.code == 4408
        async with connect(await _ws_url(server, player)) as ws:
            await ws.send("x" * 5000)
            with pytest.raises(ConnectionClosed) as too_big:
                while True:
                    await asyncio.wait_for(ws.recv(), 5)
            assert too_big.value.rcvd.code == 1009
    finally:
        server.stop()


async def test_a_client_that_stops_reading_is_dropped_not_buffered(settings, app, client, tmp_path):
    """Thousands of events for a client that stops reading: the server never holds them all."""
    env = server_env(settings, GREENSPARK_WS_SEND_TIMEOUT_SECONDS="1")
    server = Server(env, tmp_path / "slow.log")
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            player = await _player(http, server.base)
        url = await _ws_url(server, player)
        # A tiny receive buffer on our side, and we do not read: the server's sends stall.
        async with connect(url, max_queue=1) as ws:
            await asyncio.sleep(0.2)  # let the server subscribe before the flood
            rss_before = _rss_kib(server.process.pid)
            # About 128 MB: more than loopback socket buffers hold (they grow to 32 MiB here).
            filler = "x" * 16_000
            for n in range(8_000):
                # Straight onto the live channel: this tests the socket, not the outbox.
                event = {
                    "id": str(10**12 + n),
                    "type": "test.flood",
                    "at": "",
                    "data": {"pad": filler},
                }
                await app.state.router.publish([(player["id"], orjson.dumps(event))])
            received, code = 0, None
            try:
                async with asyncio.timeout(20):
                    while True:
                        await ws.recv()
                        received += 1
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
            except TimeoutError:
                pass  # no more frames: the rest never reached this client
        # However the client drains, the server queues nothing for it without bound: it
        # either cuts the client off (4429) or keeps pace, and never holds the flood itself.
        assert code in (4429, None), code
        grown_kib = _rss_kib(server.process.pid) - rss_before
        assert grown_kib < 64 * 1024, f"the server grew by {grown_kib} KiB during a 128 MB flood"
    finally:
        server.stop()


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        lines = status.read().splitlines()
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _closed_with(ws) -> int:
    """The close code of a socket the server is closing (heartbeats before it are skipped)."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_ending_a_session_closes_its_sockets_on_every_process(two_servers):
    a, b = two_servers
    async with httpx.AsyncClient(timeout=10) as http:
        phone = await _player(http, a.base)
        login = await http.post(
            f"{b.base}/api/v1/auth/login", json={"username": phone["name"], "password": PASSWORD}
        )
        token = login.json()["access_token"]
        laptop = {**phone, "token": token, "headers": {"Authorization": f"Bearer {token}"}}
        async with (
            connect(await _ws_url(a, phone)) as phone_on_a,
            connect(await _ws_url(b, phone)) as phone_on_b,
            connect(await _ws_url(b, laptop)) as laptop_on_b,
        ):
            # Logging the phone out through B closes the phone's sockets on both processes.
            out = await http.post(f"{b.base}/api/v1/auth/logout", headers=phone["headers"])
            assert out.status_code in (200, 204), out.text
            assert await _closed_with(phone_on_a) == 4401
            assert await _closed_with(phone_on_b) == 4401
            await laptop_on_b.send('{"type":"ping"}')
            assert {"type": "pong"} in await _frames_until_pong(laptop_on_b)
            # Asking to delete the account ends every session, and with them every socket.
            deleted = await http.delete(f"{a.base}/api/v1/me", headers=laptop["headers"])
            assert deleted.status_code == 202, deleted.text
            assert await _closed_with(laptop_on_b) == 4401
        refused = await http.post(f"{a.base}/api/v1/ws/tickets", headers=laptop["headers"])
        assert refused.status_code == 401


async def _frames_until_pong(ws) -> list[dict]:
    frames: list[dict] = []
    while {"type": "pong"} not in frames:
        frames.append(orjson.loads(await asyncio.wait_for(ws.recv(), 5)))
    return frames
