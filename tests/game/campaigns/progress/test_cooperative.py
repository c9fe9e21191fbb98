"""Cooperative goals: a team or a region reaches the target together; every member is rewarded."""

from __future__ import annotations

from app.domains import reconcile
from game.campaigns.progress.models import GroupTotal
from game.rewards.models import Grant
from tests.events import events_of


async def form_team(client, players, captain, *members):
    made = await client.post("/api/v1/teams", json={"name": "Pool party"}, headers=captain.headers)
    assert made.status_code == 201, made.text
    team_id = made.json()["id"]
    for member in members:
        await players.befriend(captain, member)
        invited = await client.post(
            f"/api/v1/teams/{team_id}/members", json={"user_id": member.id},
            headers=captain.headers,
        )  # fmt: skip
        assert invited.status_code == 201, invited.text
        assert (
            await client.post(f"/api/v1/teams/{team_id}/join", headers=member.headers)
        ).status_code == 200
    return team_id


async def test_a_team_reaches_its_goal_together_and_each_member_is_rewarded_once(
    client, app, players, campaigns, settings
):
    rides = await campaigns.launch(
        {"kind": "count", "target": 4, "scenarios": ["carpool_ride"], "scope": "team"},
        rewards=[{"kind": "energy", "grams": 30}],
    )
    ada, bo, chen, dara = [await players.new() for _ in range(4)]
    team_id = await form_team(client, players, ada, bo, chen)
    await campaigns.credit(ada)
    await campaigns.credit(bo)
    await campaigns.credit(bo)
    # Chen leaves before the team gets there: what he did stays with the team, no reward.
    await campaigns.credit(chen)
    assert (
        await client.post(f"/api/v1/teams/{team_id}/leave", headers=chen.headers)
    ).status_code == 200
    shown = await campaigns.progress(ada, rides["id"])
    assert (shown["progress"], shown["group"]["total"], shown["completed_at"]) == (1, 4, None)
    group = await GroupTotal.get(campaign_id=rides["id"], kind="team")
    assert group.completed_at is not None
    # The worker rewards the members at the moment the team got there.
    run = await campaigns.run_jobs(settings)
    assert run.members_rewarded == 2
    again = await campaigns.run_jobs(settings)
    assert again.members_rewarded == 0
    paid = await Grant.filter(campaign_id=rides["id"]).order_by("user_id")
    assert [(g.user_id, g.outcome) for g in paid] == [(ada.id, "granted"), (bo.id, "granted")]
    assert (await campaigns.progress(ada, rides["id"]))["completed_at"] is not None
    completed = await events_of(app, bo, "campaign.completed")
    assert [(e["scope"], e["group"]["kind"]) for e in completed] == [("team", "team")]
    # Dara joins the team afterwards: the team's completion is not hers.
    await players.befriend(ada, dara)
    await client.post(
        f"/api/v1/teams/{team_id}/members", json={"user_id": dara.id}, headers=ada.headers
    )
    await client.post(f"/api/v1/teams/{team_id}/join", headers=dara.headers)
    await campaigns.credit(dara)
    await campaigns.run_jobs(settings)
    assert not await Grant.filter(campaign_id=rides["id"], user_id=dara.id).exists()
    assert await reconcile() == []


async def test_a_region_saves_together(client, players, campaigns, settings):
    city = await campaigns.launch(
        {"kind": "grams", "target": 1_000, "scope": "region"},
        audience={"kind": "regions", "regions": ["CN-42", "CN-36"]},
        rewards=[{"kind": "medal", "medal": "Wuhan saves together"}],
    )
    ada = await players.new(region="CN-42")
    bo = await players.new(region="CN-42")
    chen = await players.new(region="CN-36")
    idle = await players.new(region="CN-42")
    await campaigns.credit(ada, quantity="10")  # 637 g
    await campaigns.credit(chen, quantity="10")  # another region's total
    before = await campaigns.progress(bo, city["id"])  # not taking part yet: his region shows
    assert (before["taking_part"], before["group"]["key"], before["group"]["total"]) == (
        False, "CN-42", 637,
    )  # fmt: skip
    await campaigns.credit(bo, quantity="6")  # 382 g: Hubei passes 1,000 g
    hubei = await GroupTotal.get(campaign_id=city["id"], kind="region", key="CN-42")
    jiangxi = await GroupTotal.get(campaign_id=city["id"], kind="region", key="CN-36")
    assert (hubei.total, hubei.completed_at is not None) == (1_019, True)
    assert (jiangxi.total, jiangxi.completed_at) == (637, None)
    assert (await campaigns.run_jobs(settings)).members_rewarded == 2
    medals = {g.user_id for g in await Grant.filter(campaign_id=city["id"], outcome="granted")}
    assert medals == {ada.id, bo.id}
    assert (await campaigns.progress(idle, city["id"]))["completed_at"] is None
    board = await campaigns.get(ada, f"/campaigns/{city['id']}/leaderboard", board="regions")
    assert [(e["id"], e["score"]) for e in board["entries"]] == [("CN-42", 1_019), ("CN-36", 637)]
    assert await reconcile() == []
