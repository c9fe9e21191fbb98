"""Story helpers: players who register, log in and act through the HTTP API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from core.clock import ManualClock
from core.settings import Settings
from game.carbon.actions import ActionInput, record_action
from game.carbon.catalog import load_catalog
from game.energy.bubbles import BubbleTiming
from game.energy.ledger import adjust_energy

PASSWORD = "correct horse battery"


@dataclass
class Player:
    """A logged-in player and their tokens."""

    id: int
    username: str
    access_token: str
    refresh_token: str
    headers: dict[str, str] = field(default_factory=dict)


class Players:
    """Factory of players for one test."""

    def __init__(self, client: httpx.AsyncClient, clock: ManualClock) -> None:
        self.client = client
        self.clock = clock
        self._numbers = itertools.count(1)

    async def new(self, username: str | None = None, **profile: Any) -> Player:
        """Register and log in a player."""
        username = username or f"player{next(self._numbers)}"
        registered = await self.client.post(
            "/api/v1/auth/register", json={"username": username, "password": PASSWORD, **profile}
        )
        assert registered.status_code == 201, registered.text
        return await self.log_in(username, registered.json()["id"])

    async def log_in(self, username: str, user_id: int) -> Player:
        """Log an existing player in."""
        login = await self.client.post(
            "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        tokens = login.json()
        return Player(
            id=user_id,
            username=username,
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )

    async def report(
        self, player: Player, scenario: str = "reusable_cup", quantity: str = "1", **extra: Any
    ) -> Any:
        """Self-report an action and return the response."""
        return await self.client.post(
            "/api/v1/actions",
            json={"scenario": scenario, "quantity": quantity, **extra},
            headers=player.headers,
        )

    async def forest(self, player: Player) -> dict[str, Any]:
        """The player's forest as JSON."""
        response = await self.client.get("/api/v1/forest/me", headers=player.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def ripe_bubble(self, player: Player) -> dict[str, Any]:
        """Report a cup, move the clock past ripening, and return the ripe bubble."""
        reported = await self.report(player)
        assert reported.status_code == 201, reported.text
        bubble = reported.json()["bubble"]
        self.clock.advance(seconds=301)
        return dict(bubble)

    async def befriend(self, a: Player, b: Player) -> None:
        """Make a and b friends through the API."""
        asked = await self.client.post(
            "/api/v1/friends/requests", json={"user_id": b.id}, headers=a.headers
        )
        assert asked.status_code == 201, asked.text
        request_id = asked.json()["request"]["id"]
        accepted = await self.client.post(
            f"/api/v1/friends/requests/{request_id}/accept", headers=b.headers
        )
        assert accepted.status_code == 200, accepted.text

    async def friend_ids(self, player: Player) -> list[int]:
        """Ids of the player's friends, via the API."""
        response = await self.client.get("/api/v1/friends", headers=player.headers)
        assert response.status_code == 200, response.text
        return [f["id"] for f in response.json()["items"]]

    async def give_energy(self, player: Player, grams: int) -> None:
        """Credit a player's balance through the support adjustment rule (test setup)."""

        await adjust_energy(
            self.clock, player.id, grams, "test setup", f"setup-{player.id}-{grams}"
        )

    async def partner_bubble(self, player: Player, scenario: str, quantity: str) -> int:
        """A bubble from a partner-reported action (test setup); returns its id."""

        recorded = await record_action(
            self.clock,
            BubbleTiming.from_settings(Settings()),
            ActionInput(
                user_id=player.id,
                tz=ZoneInfo("Asia/Shanghai"),
                scenario=load_catalog().get(scenario),
                quantity=Decimal(quantity),
                source="test-partner",
                external_id=f"{player.id}-{scenario}-{self.clock.now().timestamp()}",
            ),
        )
        assert recorded.bubble is not None
        return recorded.bubble.id

    async def relog(self, *group: Player) -> list[Player]:
        """Fresh tokens for players after the clock has moved past their expiry."""
        return [await self.log_in(p.username, p.id) for p in group]

    async def grant(self, player: Player, grams: int) -> None:
        """Give a player energy through the support-adjustment rule (a real ledger row)."""
        from uuid import uuid4

        from game.energy.ledger import adjust_energy

        await adjust_energy(self.clock, player.id, grams, "test grant", f"grant:{uuid4().hex}")

    async def staff(self, role: str, username: str | None = None) -> Player:
        """A player promoted to a staff role (admin, campaign_manager, planting_partner …)."""
        from core.users import Role, User

        player = await self.new(username)
        await User.filter(id=player.id).update(role=Role(role))
        return player

    async def many(self, count: int, prefix: str = "crowd") -> list[Player]:
        """Register and log in `count` players at once."""
        import asyncio

        return list(await asyncio.gather(*(self.new(f"{prefix}{i}") for i in range(count))))

    async def balance(self, player: Player) -> int:
        """The player's balance, via the forest view."""
        return int((await self.forest(player))["balance"])

    async def checkin(
        self,
        player: Player,
        text: str = "Cycled to work",
        topic: str = "green_commute",
        photos: list[tuple[str, bytes, str]] | None = None,
    ) -> Any:
        """Post a check-in (multipart) and return the response."""
        return await self.client.post(
            "/api/v1/checkins",
            files=multipart({"topic": topic, "text": text}, photos or []),
            headers=player.headers,
        )

    async def posted(self, player: Player, **checkin: Any) -> dict[str, Any]:
        """Post a check-in that must succeed and return it as JSON."""
        response = await self.checkin(player, **checkin)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def feed_ids(self, player: Player, scope: str = "global", **params: Any) -> list[int]:
        """Ids of the check-ins on the first page of a feed."""
        response = await self.client.get(
            "/api/v1/feed", params={"scope": scope, **params}, headers=player.headers
        )
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    async def moderator(self, username: str | None = None) -> Player:
        """A new account with the moderator role (what `greenspark create-user --role` gives)."""
        from core.users import Role, User

        player = await self.new(username or f"moderator{next(self._numbers)}")
        await User.filter(id=player.id).update(role=Role.MODERATOR)
        return player

    async def earn(self, player: Player, grams: int) -> int:
        """Credit exactly `grams` through a partner action and collect them through the API.

        The bubble is made ripe at once, so the clock does not move; returns the ledger entry id.
        """
        from datetime import timedelta
        from decimal import Decimal
        from uuid import uuid4
        from zoneinfo import ZoneInfo

        from game.carbon.actions import ActionInput, record_action
        from game.carbon.catalog import load_catalog
        from game.energy.bubbles import BubbleTiming

        scenario = load_catalog().get("carpool_ride")
        km = (Decimal(grams) * 1000 / scenario.grams_per_unit).to_integral_value(
            rounding="ROUND_CEILING"
        )
        given = ActionInput(
            user_id=player.id,
            tz=ZoneInfo("Asia/Shanghai"),
            scenario=scenario,
            quantity=km / 1000,
            source="test-partner",
            external_id=uuid4().hex,
        )
        timing = BubbleTiming(timedelta(0), 7, timedelta(hours=72))
        recorded = await record_action(self.clock, timing, given)
        assert recorded.bubble is not None and recorded.bubble.amount == grams, recorded
        collected = await self.client.post(
            f"/api/v1/bubbles/{recorded.bubble.id}/collect", headers=player.headers
        )
        assert collected.status_code == 200, collected.text
        return int(collected.json()["ledger_entry_id"])

    async def refresh(self, player: Player) -> Player:
        """Log the player in again (after the clock moved past the token's life), in place."""
        fresh = await self.log_in(player.username, player.id)
        player.access_token, player.refresh_token = fresh.access_token, fresh.refresh_token
        player.headers = fresh.headers
        return player


def multipart(
    fields: dict[str, str], photos: list[tuple[str, bytes, str]]
) -> list[tuple[str, Any]]:
    """Form fields and photo files as multipart parts (multipart even without a photo)."""
    parts: list[tuple[str, Any]] = [(name, (None, value)) for name, value in fields.items()]
    return parts + [("photos", photo) for photo in photos]
