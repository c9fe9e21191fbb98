"""Concurrent value-moving load for the fault suite, and the per-key checks after a fault.

Every request carries its own Idempotency-Key. After the fault each key is retried until the
service answers (the way a client would), and then:

- a key first answered 2xx replays that very answer (a committed change is never lost, nor
  answered differently);
- a key first answered 5xx, or cut off, gets a real outcome now (run once, or replayed);
- each player has exactly as many donations, waterings and adoptions as keys that ended 2xx
  (nothing applied twice, nothing lost).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx

from app.domains import reconcile
from game.forest.models import Watering
from game.trees.welfare.models import Adoption, Donation
from tests.app.faults.conftest import World

_numbers = itertools.count()


@dataclass
class Call:
    """One value-moving request and what became of it."""

    kind: str
    player: int
    path: str
    body: dict[str, Any]
    key: str
    first: int | None = None  # status, or None when the connection failed
    first_body: bytes = b""
    final: int | None = None
    final_body: bytes = b""


def round_of_calls(world: World) -> list[Call]:
    """Each player donates, adopts a square metre and waters the hub, with fresh keys."""
    players = list(world.tokens)
    hub, calls = players[0], []
    for player in players:
        n = next(_numbers)
        calls.append(Call("donate", player, f"/api/v1/welfare-projects/{world.welfare_id}/donate",
                          {"grams": 7}, f"donate-{n}"))  # fmt: skip
        calls.append(Call("adopt", player, f"/api/v1/protected-areas/{world.area_id}/adopt",
                          {"square_metres": 1}, f"adopt-{n}"))  # fmt: skip
        target = players[1] if player == hub else hub
        calls.append(Call("water", player, f"/api/v1/friends/{target}/water", {"grams": 10},
                          f"water-{n}"))  # fmt: skip
    return calls


async def _send(http: httpx.AsyncClient, world: World, call: Call) -> httpx.Response:
    return await http.post(call.path, json=call.body, headers=world.headers(call.player, call.key))


async def fire(world: World, calls: list[Call], servers: list[int] | None = None) -> None:
    """Send every call at once, spread over the given live servers; note the first answers."""
    live = servers if servers is not None else list(range(len(world.servers)))
    clients = [httpx.AsyncClient(base_url=world.servers[i].base, timeout=30.0) for i in live]

    async def one(index: int, call: Call) -> None:
        try:
            response = await _send(clients[index % len(clients)], world, call)
            call.first, call.first_body = response.status_code, response.content
        except httpx.HTTPError:
            call.first = None

    try:
        await asyncio.gather(*(one(i, c) for i, c in enumerate(calls)))
    finally:
        for client in clients:
            await client.aclose()


async def settle(world: World, calls: list[Call], servers: list[int], seconds: float = 90) -> None:
    """Retry every call with its key until the service gives a real answer; check replays."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=world.servers[servers[0]].base, timeout=30) as http:
        for call in calls:
            while True:
                try:
                    response = await _send(http, world, call)
                    if response.status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, f"no answer for {call.key} after the fault"
                await asyncio.sleep(0.2)  # a real service coming back, not game time
            call.final, call.final_body = response.status_code, response.content
            if call.first is not None and call.first < 500:
                assert call.final == call.first, (call.key, call.first, call.final)
                assert call.final_body == call.first_body, call.key
                assert response.headers.get("idempotent-replayed") == "true", call.key
            else:
                assert call.final < 500


async def assert_exactly_once(all_calls: list[Call]) -> None:
    """Per player and kind: rows in the database = keys that ended 2xx; reconcile is clean."""
    succeeded = Counter((c.kind, c.player) for c in all_calls if c.final and c.final < 300)
    players = {c.player for c in all_calls}
    for player in players:
        assert await Donation.filter(user_id=player).count() == succeeded["donate", player]
        assert await Adoption.filter(user_id=player).count() == succeeded["adopt", player]
        assert await Watering.filter(giver_id=player).count() == succeeded["water", player]
    assert await reconcile() == []
