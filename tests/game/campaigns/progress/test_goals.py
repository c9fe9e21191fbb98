"""Each goal kind counts from what already happens, as it happens, once per moment."""

from __future__ import annotations

from datetime import timedelta

from app.domains import reconcile
from game.campaigns.progress.models import Contribution
from tests.events import events_of

RIDES = {"kind": "count", "target": 3, "scenarios": ["carpool_ride"]}


async def test_three_carpool_rides_complete_the_goal_and_pay_each_reward_once(
    client, app, players, campaigns
):
    pool = await campaigns.pool(total=2_000, unit_cost=500)
    rewards = [
        {"kind": "voucher", "pool_id": pool["id"], "valid_days": 30},
        {"kind": "energy", "grams": 100},
        {"kind": "prop", "prop": "protection_cover", "quantity": 1},
        {"kind": "medal", "medal": "Carpool Day 2026"},
    ]
    day = await campaigns.launch(RIDES, rewards=rewards)
    ada = await players.new()
    await campaigns.credit(ada, quantity="12", external_id="ride-1")
    await campaigns.credit(ada, quantity="8", external_id="ride-2")
    # A retried report of ride 2 is a duplicate action: it counts nothing again.
    retried = await campaigns.credit(ada, quantity="8", external_id="ride-2")
    assert retried.duplicate
    # A ride under the goal's minimum (1 km) is credited but does not count as a ride.
    await campaigns.credit(ada, quantity="0.5", external_id="hop")
    assert (await campaigns.progress(ada, day["id"]))["progress"] == 2
    await campaigns.credit(ada, quantity="20", external_id="ride-3")
    done = await campaigns.progress(ada, day["id"])
    assert (done["progress"], done["target"], done["taking_part"]) == (3, 3, True)
    assert done["completed_at"] is not None
    assert sorted(r["kind"] for r in done["rewards"]) == ["energy", "medal", "prop", "voucher"]
    assert {r["outcome"] for r in done["rewards"]} == {"granted"}
    voucher = next(r["voucher"] for r in done["rewards"] if r["kind"] == "voucher")
    assert (voucher["face_value_fen"], voucher["state"], len(voucher["code"])) == (
        500,
        "issued",
        12,
    )

    await campaigns.credit(ada, quantity="5", external_id="ride-4")
    after = await campaigns.progress(ada, day["id"])
    assert after["progress"] == 4 and len(after["rewards"]) == 4

    ledger = (await client.get("/api/v1/me/energy/ledger", headers=ada.headers)).json()
    assert [(e["kind"], e["delta"]) for e in ledger["items"]] == [("campaign_reward", 100)]
    props = (await client.get("/api/v1/me/props", headers=ada.headers)).json()
    assert props["stock"]["protection_cover"] == 1
    medals = await campaigns.get(ada, "/me/medals")
    assert "Carpool Day 2026" in [m["name"] for m in medals["held"]]
    mine = await campaigns.get(ada, "/me/rewards")
    assert len([r for r in mine["items"] if r["source"] == "campaign"]) == 4
    progress_events = await events_of(app, ada, "campaign.progress")
    # One event per counted moment, listing each campaign it counted for.
    assert [[c["progress"] for c in e["campaigns"]] for e in progress_events] == [
        [1],
        [2],
        [3],
        [4],
    ]
    assert progress_events[2]["campaigns"][0]["completed"] is True
    completed = await events_of(app, ada, "campaign.completed")
    assert len(completed) == 1 and completed[0]["campaign_id"] == day["id"]
    assert len(completed[0]["rewards"]) == 4
    granted = await events_of(app, ada, "reward.granted")
    assert sorted(e["kind"] for e in granted if e["source"] == "campaign") == [
        "energy", "medal", "prop", "voucher",
    ]  # fmt: skip
    assert await reconcile() == []


async def test_grams_from_a_set_of_scenarios(players, campaigns):
    week = await campaigns.launch(
        {"kind": "grams", "target": 600, "scenarios": ["metro_ride", "bus_ride"]}
    )
    ada = await players.new()
    await campaigns.credit(ada, "carpool_ride", "10")  # 637 g, not a scenario of the goal
    await campaigns.credit(ada, "metro_ride", "10")  # 429 g
    assert (await campaigns.progress(ada, week["id"]))["progress"] == 429
    await campaigns.credit(ada, "bus_ride", "1")  # 175 g
    shown = await campaigns.progress(ada, week["id"])
    assert shown["progress"] == 604 and shown["completed_at"] is not None
    assert await reconcile() == []


async def test_a_streak_counts_consecutive_days_in_the_players_calendar(players, campaigns, clock):
    streak = await campaigns.launch(
        {"kind": "streak", "target": 4, "scenarios": ["carpool_ride"]}, hours=24 * 7
    )
    ada = await players.new()
    start = clock.now()
    await campaigns.credit(ada, occurred_at=start)
    clock.advance(days=1)
    await campaigns.credit(ada, occurred_at=clock.now())
    await campaigns.credit(ada, occurred_at=clock.now())  # the same day again adds nothing
    ada = await players.refresh(ada)
    assert (await campaigns.progress(ada, streak["id"]))["progress"] == 2
    clock.advance(days=2)  # a day is skipped
    await campaigns.credit(ada, occurred_at=clock.now())
    ada = await players.refresh(ada)
    shown = await campaigns.progress(ada, streak["id"])
    assert (shown["progress"], shown["completed_at"]) == (2, None)
    # A partner's late report fills the gap: four days in a row.
    await campaigns.credit(ada, occurred_at=start + timedelta(days=2))
    shown = await campaigns.progress(ada, streak["id"])
    assert shown["progress"] == 4 and shown["completed_at"] is not None
    assert await reconcile() == []


async def test_energy_gathered_counts_collected_stolen_and_watered(
    client, players, campaigns, clock
):
    gathered = await campaigns.launch({"kind": "energy", "target": 60})
    thieves = await campaigns.launch({"kind": "energy", "target": 1, "ledger_kinds": ["steal"]})
    ada, bo = await players.new(), await players.new()
    await players.befriend(ada, bo)
    await players.report(ada, quantity="2")  # 50 g in a growing bubble: not gathered yet
    assert (await campaigns.progress(ada, gathered["id"]))["progress"] == 0
    big = await players.partner_bubble(ada, "second_hand_garment", "1")  # 720 g
    clock.advance(seconds=301)
    ada, bo = await players.relog(ada, bo)
    stolen = await client.post(f"/api/v1/bubbles/{big}/steal", headers=bo.headers)
    assert stolen.status_code == 200, stolen.text
    forest = await players.forest(ada)
    cups = next(b["id"] for b in forest["bubbles"] if b["scenario"] == "reusable_cup")
    assert (
        await client.post(f"/api/v1/bubbles/{cups}/collect", headers=ada.headers)
    ).status_code == 200
    assert (await campaigns.progress(ada, gathered["id"]))["progress"] == 50
    watered = await client.post(
        f"/api/v1/friends/{ada.id}/water", json={"grams": 10}, headers=bo.headers
    )
    assert watered.status_code == 200, watered.text
    shown = await campaigns.progress(ada, gathered["id"])
    assert shown["progress"] == 60 and shown["completed_at"] is not None
    bo_gathered = await campaigns.progress(bo, gathered["id"])
    assert bo_gathered["progress"] == 216  # the steal (30 % of 720 g); giving water adds nothing
    assert (await campaigns.progress(bo, thieves["id"]))["completed_at"] is not None
    assert (await campaigns.progress(ada, thieves["id"]))["taking_part"] is False
    assert await reconcile() == []


async def test_check_ins_under_a_topic(players, campaigns):
    plastic = await campaigns.launch({"kind": "checkins", "target": 2, "topic": "plastic_free"})
    ada = await players.new()
    await players.posted(ada, text="Brought my own cup", topic="plastic_free")
    await players.posted(ada, text="Cycled", topic="green_commute")
    # Held by the banned-words filter: not visible, so it does not count.
    await players.posted(ada, text="click here for free money", topic="plastic_free")
    assert (await campaigns.progress(ada, plastic["id"]))["progress"] == 1
    await players.posted(ada, text="Refused a plastic bag", topic="plastic_free")
    shown = await campaigns.progress(ada, plastic["id"])
    assert shown["progress"] == 2 and shown["completed_at"] is not None
    assert await reconcile() == []


async def test_only_moments_inside_the_window_of_a_running_campaign_count(
    players, campaigns, clock, settings
):
    day = await campaigns.launch(RIDES, starts_in=1, hours=24)
    ada = await players.new()
    await campaigns.credit(ada)  # before the start
    clock.advance(hours=1)
    await campaigns.credit(ada)  # counts
    await campaigns.patch(day["id"], paused=True)
    await campaigns.credit(ada)  # paused: does not count
    await campaigns.patch(day["id"], paused=False)
    ada = await players.refresh(ada)
    assert (await campaigns.progress(ada, day["id"]))["progress"] == 1
    in_window = clock.now() + timedelta(hours=20)
    clock.advance(hours=25)  # ended, not yet settled
    await campaigns.credit(ada, occurred_at=clock.now() - timedelta(minutes=1))  # after the end
    await campaigns.credit(ada, occurred_at=in_window)  # a late report of a ride in the window
    ada = await players.refresh(ada)
    assert (await campaigns.progress(ada, day["id"]))["progress"] == 2
    clock.advance(seconds=settings.campaign_settle_after_seconds)
    assert (await campaigns.run_jobs(settings)).settled == [day["id"]]
    await campaigns.credit(ada, occurred_at=in_window - timedelta(hours=1))  # settled: too late
    ada = await players.refresh(ada)
    shown = await campaigns.progress(ada, day["id"])
    assert (shown["state"], shown["progress"]) == ("settled", 2)
    assert await Contribution.filter(campaign_id=day["id"]).count() == 2
    assert await reconcile() == []
