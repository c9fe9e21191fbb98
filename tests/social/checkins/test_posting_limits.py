"""Per-player posting and commenting limits."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from core.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Two check-ins and three comments per window, so limits are quick to reach."""
    return settings.model_copy(update={"checkins_per_window": 2, "comments_per_window": 3})


async def test_posting_is_limited_per_player(client, players):
    ada, bo = await players.new(), await players.new()
    assert [(await players.checkin(ada)).status_code for _ in range(2)] == [201, 201]
    refused = await players.checkin(ada)
    assert (refused.status_code, refused.json()["type"]) == (429, "/problems/too-many-checkins")
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert (await players.checkin(bo)).status_code == 201
    assert len(await players.feed_ids(ada)) == 3


async def test_commenting_is_limited_per_player_even_all_at_once(client, players):
    ada, bo = await players.new(), await players.new()
    checkin = (await players.posted(ada))["id"]
    url = f"/api/v1/checkins/{checkin}/comments"
    responses = await asyncio.gather(
        *(client.post(url, json={"text": f"n{i}"}, headers=bo.headers) for i in range(8))
    )
    assert Counter(r.status_code for r in responses) == {201: 3, 429: 5}
    limited = next(r for r in responses if r.status_code == 429)
    assert limited.json()["type"] == "/problems/too-many-comments"
    assert "Retry-After" in limited.headers
    assert (await client.post(url, json={"text": "mine"}, headers=ada.headers)).status_code == 201
    listed = (await client.get(url, headers=ada.headers)).json()["items"]
    assert len(listed) == 4
    shown = (await client.get(f"/api/v1/checkins/{checkin}", headers=ada.headers)).json()
    assert shown["comment_count"] == 4
