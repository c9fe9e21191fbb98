"""Progress under concurrency: many moments at once, totals exact, each completion paid once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from app.domains import reconcile
from game.campaigns.progress.models import Contribution, GroupTotal, Participant
from game.rewards.models import Grant
from tests.game.campaigns.progress.test_cooperative import form_team


@pytest.fixture
def settings(settings):
    """Crowds of players log in from one test address: lift the per-address login limit."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})


async def test_a_crowd_reporting_at_once_counts_exactly_for_every_campaign(
    client, players, campaigns, settings
):
    cups = {"kind": "count", "target": 2, "scenarios": ["reusable_cup"]}
    everyone = await campaigns.launch(cups, rewards=[{"kind": "energy", "grams": 10}])
    city = await campaigns.launch(
        {"kind": "grams", "target": 1_500, "scope": "region"},
        rewards=[{"kind": "energy", "grams": 5}],
    )
    crowd = [await players.new(f"crowd{i}", region="CN-42") for i in range(60)]
    # Every player reports twice at once: 120 moments, each counted once in each campaign.
    responses = await asyncio.gather(
        *(players.report(p, external_id=f"cup-{n}") for p in crowd for n in range(2))
    )
    assert Counter(r.status_code for r in responses) == {201: 120}
    progress = await Participant.filter(campaign_id=everyone["id"]).values_list(
        "progress", flat=True
    )
    assert sorted(progress) == [2] * 60
    paid = await Grant.filter(campaign_id=everyone["id"]).values_list("user_id", flat=True)
    assert sorted(paid) == sorted(p.id for p in crowd)  # each completion paid once
    hubei = await GroupTotal.get(campaign_id=city["id"], kind="region", key="CN-42")
    assert hubei.total == 120 * 25 and hubei.completed_at is not None
    assert await Contribution.filter(campaign_id=city["id"]).count() == 120
    assert (await campaigns.run_jobs(settings)).members_rewarded == 60
    assert await reconcile() == []


async def test_a_team_racing_to_its_goal_completes_once(client, players, campaigns, settings):
    team_goal = await campaigns.launch(
        {"kind": "count", "target": 10, "scenarios": ["carpool_ride"], "scope": "team"},
        rewards=[{"kind": "prop", "prop": "double_collect", "quantity": 1}],
    )
    captain = await players.new()
    mates = [await players.new() for _ in range(4)]
    team_id = await form_team(client, players, captain, *mates)
    team = [captain, *mates]
    await asyncio.gather(*(campaigns.credit(p) for p in team for _ in range(3)))
    group = await GroupTotal.get(campaign_id=team_goal["id"], kind="team", key=str(team_id))
    assert group.total == 15 and group.completed_at is not None
    await asyncio.gather(campaigns.run_jobs(settings), campaigns.run_jobs(settings))
    grants = await Grant.filter(campaign_id=team_goal["id"]).values_list("user_id", flat=True)
    assert sorted(grants) == sorted(p.id for p in team)
    assert await reconcile() == []
