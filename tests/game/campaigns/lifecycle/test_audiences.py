"""Audiences: everyone, regions, invited players, players who join, saved segments; joining."""

from __future__ import annotations

from datetime import timedelta

from app.domains import reconcile
from game.campaigns.progress.models import Participant

RIDES = {"kind": "count", "target": 2, "scenarios": ["carpool_ride"]}


async def _taking_part(campaign_id):
    rows = await Participant.filter(campaign_id=campaign_id).order_by("user_id")
    return [(p.user_id, p.joined) for p in rows]


async def test_everyone_takes_part_from_their_first_counted_moment(players, campaigns):
    everyone = await campaigns.launch(RIDES)
    ada, bo = await players.new(), await players.new()
    await campaigns.credit(ada)
    assert await _taking_part(everyone["id"]) == [(ada.id, False)]
    shown = await campaigns.progress(bo, everyone["id"])
    assert (shown["in_audience"], shown["taking_part"], shown["progress"]) == (True, False, 0)


async def test_a_regional_campaign_is_for_players_of_its_regions(client, players, campaigns):
    wuhan = await campaigns.launch(RIDES, audience={"kind": "regions", "regions": ["CN-42"]})
    ada = await players.new(region="CN-42")
    dara = await players.new(region="DE-BE")
    await campaigns.credit(ada)
    await campaigns.credit(dara)
    assert await _taking_part(wuhan["id"]) == [(ada.id, False)]
    refused = await campaigns.join(dara, wuhan["id"])
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/not-in-campaign-audience"
    assert await _taking_part(wuhan["id"]) == [(ada.id, False)]


async def test_an_invited_list(players, campaigns):
    ada, bo = await players.new(), await players.new()
    invited = await campaigns.launch(RIDES, audience={"kind": "invited", "user_ids": [ada.id]})
    assert invited["audience"]["invited"] == 1
    await campaigns.credit(ada)
    await campaigns.credit(bo)
    assert await _taking_part(invited["id"]) == [(ada.id, False)]
    assert (await campaigns.join(bo, invited["id"])).status_code == 403


async def test_players_who_joined_count_from_their_join_only(players, campaigns):
    opt_in = await campaigns.launch(RIDES, audience={"kind": "joined"})
    ada, bo = await players.new(), await players.new()
    await campaigns.credit(ada)  # not joined yet: does not count
    assert await _taking_part(opt_in["id"]) == []
    first = await campaigns.join(ada, opt_in["id"])
    assert first.status_code == 201, first.text
    assert (first.json()["joined"], first.json()["progress"]) == (True, 0)
    again = await campaigns.join(ada, opt_in["id"])
    assert again.status_code == 200
    await campaigns.credit(ada)
    await campaigns.credit(bo)
    assert await _taking_part(opt_in["id"]) == [(ada.id, True)]
    assert (await campaigns.progress(ada, opt_in["id"]))["progress"] == 1


async def test_a_saved_segment_of_active_players_in_a_region(client, players, campaigns, clock):
    ada = await players.new(region="CN-42")
    bo = await players.new(region="CN-42")
    chen = await players.new(region="CN-36")
    for active in (ada, chen):
        await campaigns.credit(active, occurred_at=clock.now() - timedelta(days=3))
    manager = await campaigns.manager()
    player_refused = await client.post("/api/v1/segments", json={"name": "x"}, headers=ada.headers)
    assert player_refused.status_code == 403
    saved = await client.post(
        "/api/v1/segments",
        json={"name": "Active in Hubei", "region": "CN-42", "active_within_days": 30},
        headers=manager.headers,
    )
    assert saved.status_code == 201, saved.text
    segment = saved.json()
    sized = await campaigns.get(manager, f"/segments/{segment['id']}")
    assert sized["players_now"] == 1
    hubei = await campaigns.launch(RIDES, audience={"kind": "segment", "segment_id": segment["id"]})
    for player in (ada, bo, chen):
        await campaigns.credit(player)
    assert await _taking_part(hubei["id"]) == [(ada.id, False)]
    assert (await campaigns.join(bo, hubei["id"])).status_code == 403
    listed = await campaigns.get(manager, "/segments")
    assert [s["name"] for s in listed] == ["Active in Hubei"]


async def test_joining_happens_inside_the_window_of_a_published_campaign(
    client, players, campaigns, clock
):
    ada = await players.new()
    draft = await campaigns.create(RIDES)
    missing = await campaigns.join(ada, draft["id"])
    assert (missing.status_code, missing.json()["type"]) == (404, "/problems/campaign-not-found")
    soon = await campaigns.launch(RIDES, starts_in=2, hours=2, audience={"kind": "joined"})
    early = await campaigns.join(ada, soon["id"])
    assert (early.status_code, early.json()["type"]) == (409, "/problems/campaign-not-open")
    clock.advance(hours=5)
    ada = await players.refresh(ada)
    late = await campaigns.join(ada, soon["id"])
    assert (late.status_code, late.json()["type"]) == (409, "/problems/campaign-not-open")
    assert await Participant.all().count() == 0
    assert await reconcile() == []
