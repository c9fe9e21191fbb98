"""Story helpers: partner platforms registered by an admin, players' consents, signed calls."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from core.clock import ManualClock
from game.partners.gate.signing import sign
from tests.players import Player, Players

DEFAULT_SCENARIOS = ("metro_ride", "bus_ride", "walking_steps", "second_hand_computer")


@dataclass
class Partner:
    """A registered platform with the key it signs with."""

    id: int
    name: str
    key_id: str
    secret: str


class Partners:
    """Registers partners through the admin API and sends their signed batches."""

    def __init__(self, client: httpx.AsyncClient, clock: ManualClock, players: Players) -> None:
        self.client = client
        self.clock = clock
        self.players = players
        self._admin: Player | None = None
        self._numbers = itertools.count(1)

    async def admin(self) -> Player:
        """An admin account (made once per test)."""
        if self._admin is None:
            self._admin = await self.players.staff("admin", f"admin{next(self._numbers)}")
        else:
            await self.players.refresh(self._admin)
        return self._admin

    async def register(
        self, name: str | None = None, scenarios: tuple[str, ...] = DEFAULT_SCENARIOS, **extra: Any
    ) -> Partner:
        """Register a platform through the admin API and keep its first key."""
        admin = await self.admin()
        body = {
            "name": name or f"Partner {next(self._numbers)}",
            "timezone": "Asia/Shanghai",
            "contact": "ops@partner.example",
            "scenarios": list(scenarios),
            **extra,
        }
        made = await self.client.post("/api/v1/admin/partners", json=body, headers=admin.headers)
        assert made.status_code == 201, made.text
        data = made.json()
        return Partner(
            id=data["partner"]["id"],
            name=data["partner"]["name"],
            key_id=data["key"]["key_id"],
            secret=data["key"]["secret"],
        )

    async def link(
        self, player: Player, partner: Partner, user_ref: str | None = None, **consent: Any
    ) -> dict[str, Any]:
        """The player consents to the partner reporting for them under `user_ref`."""
        body = {
            "partner_id": partner.id,
            "user_ref": user_ref or f"ref-{player.username}",
            **consent,
        }
        made = await self.client.post("/api/v1/me/consents", json=body, headers=player.headers)
        assert made.status_code == 201, made.text
        result: dict[str, Any] = made.json()
        return result

    def headers(
        self,
        partner: Partner,
        path: str,
        body: bytes,
        *,
        timestamp: int | None = None,
        secret: str | None = None,
        key_id: str | None = None,
        method: str = "POST",
    ) -> dict[str, str]:
        """The three signing headers for a request."""
        stamp = str(int(self.clock.now().timestamp()) if timestamp is None else timestamp)
        return {
            "Greenspark-Key-Id": key_id or partner.key_id,
            "Greenspark-Timestamp": stamp,
            "Greenspark-Signature": sign(secret or partner.secret, method, path, stamp, body),
            "content-type": "application/json",
        }

    async def post(
        self, partner: Partner, path: str, payload: Any, **signing: Any
    ) -> httpx.Response:
        """POST a signed JSON payload (bytes are sent as they are)."""
        body = payload if isinstance(payload, bytes) else orjson.dumps(payload)
        headers = self.headers(partner, path, body, **signing)
        return await self.client.post(path, content=body, headers=headers)

    async def actions(
        self, partner: Partner, items: list[dict[str, Any]], **signing: Any
    ) -> httpx.Response:
        """Send a signed batch of actions."""
        return await self.post(partner, "/api/v1/partner/actions", {"items": items}, **signing)

    async def readings(
        self, partner: Partner, items: list[dict[str, Any]], **signing: Any
    ) -> httpx.Response:
        """Send a signed batch of meter readings."""
        return await self.post(
            partner, "/api/v1/partner/meter-readings", {"items": items}, **signing
        )

    def item(
        self,
        user_ref: str,
        scenario: str = "metro_ride",
        quantity: str = "10",
        external_id: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """One action item, dated now unless told otherwise."""
        return {
            "external_id": external_id or f"trip-{next(self._numbers)}",
            "user_ref": user_ref,
            "scenario": scenario,
            "quantity": quantity,
            "occurred_at": self.clock.now().isoformat(),
            **extra,
        }
