"""Story helpers for the store: a manager stocking items, merchants and their users."""

from __future__ import annotations

from typing import Any

import httpx

from tests.players import Player, Players


class Store:
    """Stocks the store and registers merchants through the API."""

    def __init__(self, players: Players) -> None:
        self.players = players
        self.client: httpx.AsyncClient = players.client
        self._admin: Player | None = None

    async def admin(self) -> Player:
        """An admin (made once per test)."""
        if self._admin is None:
            self._admin = await self.players.staff("admin", "storeadmin")
        return self._admin

    async def merchant(self, name: str = "Didi") -> tuple[int, Player]:
        """A merchant and a user who redeems for it."""
        admin = await self.admin()
        made = await self.client.post(
            "/api/v1/admin/merchants", json={"name": name}, headers=admin.headers
        )
        assert made.status_code == 201, made.text
        user = await self.players.new(f"{name.lower()}staff")
        attached = await self.client.post(
            f"/api/v1/admin/merchants/{made.json()['id']}/members",
            json={"user_id": user.id},
            headers=admin.headers,
        )
        assert attached.status_code == 200, attached.text
        return int(made.json()["id"]), await self.players.log_in(user.username, user.id)

    async def item(self, **given: Any) -> dict[str, Any]:
        """Put an item on sale (energy price, one per player, by default)."""
        admin = await self.admin()
        body = {"name": "Tote bag", "kind": "goods", "currency": "energy", "price": 100,
                "stock": 10, **given}  # fmt: skip
        made = await self.client.post("/api/v1/store/items", json=body, headers=admin.headers)
        assert made.status_code == 201, made.text
        item: dict[str, Any] = made.json()
        return item

    async def redeem(self, player: Player, item_id: int) -> httpx.Response:
        """Redeem one unit of an item."""
        return await self.client.post(
            f"/api/v1/store/items/{item_id}/redeem", headers=player.headers
        )
