"""Announcing a start: the worker tells the audience once, in batches, active players only."""

from __future__ import annotations

import asyncio

from social.notifications.models import Notification
from tests.events import events_of

RIDES = {"kind": "count", "target": 2, "scenarios": ["carpool_ride"]}


async def _told(campaign_id):
    rows = await Notification.filter(kind="campaign_started").order_by("user_id")
    return [r.user_id for r in rows if r.data["campaign_id"] == campaign_id]


async def test_a_start_reaches_active_players_of_the_audience_once(
    app, players, campaigns, settings
):
    dormant = await players.new(region="CN-42")
    players.clock.advance(days=40)  # not seen for longer than the announcing window
    ada = await players.new(region="CN-42")
    dara = await players.new(region="DE-BE")
    wuhan = await campaigns.launch(
        RIDES, starts_in=1, audience={"kind": "regions", "regions": ["CN-42"]}
    )
    assert (await campaigns.run_jobs(settings)).players_told_of_starts == 0  # not started yet
    players.clock.advance(hours=1)
    run = await campaigns.run_jobs(settings)
    assert run.players_told_of_starts == 1
    assert await _told(wuhan["id"]) == [ada.id]
    [started] = await events_of(app, ada, "campaign.started")
    assert (started["campaign_id"], started["name"]) == (wuhan["id"], "Carpool day")
    assert await events_of(app, dara, "campaign.started") == []
    assert await events_of(app, dormant, "campaign.started") == []
    # The next runs tell nobody again.
    assert (await campaigns.run_jobs(settings)).players_told_of_starts == 0
    assert await _told(wuhan["id"]) == [ada.id]
    ada = (await players.relog(ada))[0]
    inbox = await players.client.get("/api/v1/me/notifications", headers=ada.headers)
    assert [n["kind"] for n in inbox.json()["items"]] == ["campaign_started"]


async def test_batches_and_two_workers_tell_each_player_exactly_once(players, campaigns, settings):
    invited = [await players.new() for _ in range(7)]
    ids = sorted(p.id for p in invited)
    campaign = await campaigns.launch(RIDES, audience={"kind": "invited", "user_ids": ids})
    small = settings.model_copy(update={"campaign_announce_batch": 3})
    first = await campaigns.run_jobs(small)
    assert first.players_told_of_starts == 3
    assert await _told(campaign["id"]) == ids[:3]
    # Two workers at once: each batch goes to one of them; nobody hears twice.
    runs = await asyncio.gather(campaigns.run_jobs(small), campaigns.run_jobs(small))
    rest = await campaigns.run_jobs(small)
    told = sum(r.players_told_of_starts for r in runs) + rest.players_told_of_starts
    assert told + (await campaigns.run_jobs(small)).players_told_of_starts == 4
    assert await _told(campaign["id"]) == ids


async def test_a_paused_start_waits_and_an_ended_campaign_is_not_announced(
    players, campaigns, settings
):
    ada = await players.new()
    paused = await campaigns.launch(RIDES, starts_in=1)
    assert (await campaigns.patch(paused["id"], paused=True)).status_code == 200
    brief = await campaigns.launch(RIDES, starts_in=1, hours=1)
    players.clock.advance(hours=3)  # both started; the brief one has ended
    assert (await campaigns.run_jobs(settings)).players_told_of_starts == 0
    resumed = await campaigns.patch(paused["id"], paused=False)
    assert resumed.status_code == 200, resumed.text
    assert (await campaigns.run_jobs(settings)).players_told_of_starts >= 1
    assert ada.id in await _told(paused["id"])
    assert await _told(brief["id"]) == []
