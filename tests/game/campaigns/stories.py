"""Story helpers for campaigns: a manager launches one, players act, the worker runs its job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from app.domains import LIVE, campaign_announcing, campaign_settle_after
from core.settings import Settings
from game.campaigns.progress.settlement import JobRun, run_campaign_jobs
from game.carbon.actions import ActionInput, RecordedAction, record_action
from game.carbon.catalog import load_catalog
from game.energy.bubbles import BubbleTiming
from tests.players import Player, Players

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(moment: datetime) -> str:
    """A moment as a naive local time in Asia/Shanghai, the way a manager types it."""
    return moment.astimezone(SHANGHAI).replace(tzinfo=None).isoformat()


class Campaigns:
    """A campaign manager's and the players' side of campaigns, through the HTTP API."""

    def __init__(self, players: Players) -> None:
        self.players = players
        self.client = players.client
        self.clock = players.clock
        self._manager: Player | None = None
        self._logged_in_at = self.clock.now()

    async def manager(self) -> Player:
        """The campaign manager of the story (made once), logged in again once the clock moved."""
        if self._manager is None:
            self._manager = await self.players.staff("campaign_manager", f"cam{uuid4().hex[:8]}")
            self._logged_in_at = self.clock.now()
        elif self.clock.now() - self._logged_in_at > timedelta(minutes=10):
            await self.players.refresh(self._manager)
            self._logged_in_at = self.clock.now()
        return self._manager

    async def pool(
        self, total: int, unit_cost: int, unit: str = "fen", **extra: Any
    ) -> dict[str, Any]:
        """A budget pool opened by the manager."""
        body = {"name": "Coupons", "unit": unit, "unit_cost": unit_cost, "total": total, **extra}
        made = await self.client.post(
            "/api/v1/reward-pools", json=body, headers=(await self.manager()).headers
        )
        assert made.status_code == 201, made.text
        return dict(made.json())

    def body(
        self, goal: dict[str, Any], *, hours: float = 24, starts_in: float = 0, **extra: Any
    ) -> dict[str, Any]:
        """A campaign body: a window from now (+starts_in hours) lasting `hours`."""
        start = self.clock.now() + timedelta(hours=starts_in)
        return {
            "name": "Carpool day",
            "description": "Share a ride.",
            "timezone": "Asia/Shanghai",
            "starts_at": local(start),
            "ends_at": local(start + timedelta(hours=hours)),
            "audience": {"kind": "everyone"},
            "goal": goal,
            **extra,
        }

    async def create(self, goal: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """A draft made by the manager."""
        made = await self.client.post(
            "/api/v1/campaigns",
            json=self.body(goal, **extra),
            headers=(await self.manager()).headers,
        )
        assert made.status_code == 201, made.text
        return dict(made.json())

    async def patch(self, campaign_id: int, **changes: Any) -> Any:
        """The manager's PATCH, response returned as is."""
        return await self.client.patch(
            f"/api/v1/campaigns/{campaign_id}", json=changes, headers=(await self.manager()).headers
        )

    async def launch(self, goal: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """A campaign created and published."""
        draft = await self.create(goal, **extra)
        published = await self.patch(draft["id"], state="scheduled")
        assert published.status_code == 200, published.text
        return dict(published.json())

    async def get(self, player: Player, path: str, **params: Any) -> Any:
        """A GET that must succeed, as JSON."""
        response = await self.client.get(f"/api/v1{path}", params=params, headers=player.headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def progress(self, player: Player, campaign_id: int) -> dict[str, Any]:
        """The player's progress in a campaign."""
        return dict(await self.get(player, f"/campaigns/{campaign_id}/progress"))

    async def join(self, player: Player, campaign_id: int) -> Any:
        """The player asks to join; response returned as is."""
        return await self.client.post(
            f"/api/v1/campaigns/{campaign_id}/join", headers=player.headers
        )

    async def credit(
        self,
        player: Player,
        scenario: str = "carpool_ride",
        quantity: str = "10",
        occurred_at: datetime | None = None,
        external_id: str | None = None,
        tz: ZoneInfo = SHANGHAI,
    ) -> RecordedAction:
        """A partner platform credits an action (the path partner ingestion takes too)."""
        return await record_action(
            self.clock,
            BubbleTiming.from_settings(Settings()),
            ActionInput(
                user_id=player.id, tz=tz, scenario=load_catalog().get(scenario),
                quantity=Decimal(quantity), source="test-partner",
                external_id=external_id or uuid4().hex, occurred_at=occurred_at,
            ),
        )  # fmt: skip

    async def run_jobs(self, settings: Settings) -> JobRun:
        """One run of the worker's campaigns job, with the app's clock, events and boards."""
        return await run_campaign_jobs(
            self.clock, LIVE.events, LIVE.tracker.boards, campaign_settle_after(settings),
            campaign_announcing(settings),
        )  # fmt: skip


def utc(text: str) -> datetime:
    """An ISO time from the API as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)
