"""A campaign's life: draft, scheduled, live, ended, settled; what each state lets a manager do."""

from __future__ import annotations

from app.domains import reconcile
from game.campaigns.lifecycle.models import Campaign

COUNT_RIDES = {"kind": "count", "target": 3, "scenarios": ["carpool_ride"]}


async def test_only_campaign_managers_and_admins_create_and_change_campaigns(
    client, players, campaigns
):
    ada = await players.new()
    body = campaigns.body(COUNT_RIDES)
    refused = await client.post("/api/v1/campaigns", json=body, headers=ada.headers)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/forbidden"
    assert await Campaign.all().count() == 0
    admin = await players.staff("admin")
    made = await client.post("/api/v1/campaigns", json=body, headers=admin.headers)
    assert made.status_code == 201, made.text
    assert made.json()["state"] == "draft"
    patched = await client.patch(
        f"/api/v1/campaigns/{made.json()['id']}", json={"name": "Mine"}, headers=ada.headers
    )
    assert patched.status_code == 403
    assert (await Campaign.get(id=made.json()["id"])).name == "Carpool day"


async def test_a_draft_is_edited_freely_and_unseen_by_players(client, players, campaigns):
    ada = await players.new()
    draft = await campaigns.create(COUNT_RIDES, starts_in=2)
    assert (
        await client.get(f"/api/v1/campaigns/{draft['id']}", headers=ada.headers)
    ).status_code == 404
    assert (await campaigns.get(ada, "/campaigns"))["items"] == []
    pool = await campaigns.pool(total=5_000, unit_cost=500)
    edited = await campaigns.patch(
        draft["id"],
        name="Green mobility week",
        goal={"kind": "grams", "target": 2_000, "scenarios": ["metro_ride", "bus_ride"]},
        audience={"kind": "regions", "regions": ["CN-42"]},
        rewards=[{"kind": "voucher", "pool_id": pool["id"], "valid_days": 30},
                 {"kind": "energy", "grams": 50}],
        ends_at=campaigns.body(COUNT_RIDES, hours=24 * 7, starts_in=2)["ends_at"],
    )  # fmt: skip
    assert edited.status_code == 200, edited.text
    shown = edited.json()
    assert shown["name"] == "Green mobility week"
    assert shown["goal"]["kind"] == "grams"
    assert shown["goal"]["scenarios"] == ["bus_ride", "metro_ride"]
    assert shown["audience"] == {"kind": "regions", "regions": ["CN-42"], "invited": 0,
                                 "segment_id": None}  # fmt: skip
    assert [r["kind"] for r in shown["rewards"]] == ["voucher", "energy"]
    assert shown["state"] == "draft"


async def test_the_clock_moves_a_published_campaign_from_scheduled_to_live_to_ended(
    client, players, campaigns, clock, settings
):
    ada = await players.new()
    launched = await campaigns.launch(COUNT_RIDES, starts_in=1, hours=1)
    assert launched["state"] == "scheduled"
    # The window is given in the campaign's zone and shown in it.
    assert launched["starts_at"].endswith("+08:00")
    states = []
    for step in (0, 1, 1):
        clock.advance(hours=step)
        ada = await players.refresh(ada)
        states.append((await campaigns.get(ada, f"/campaigns/{launched['id']}"))["state"])
    assert states == ["scheduled", "live", "ended"]
    assert (await campaigns.run_jobs(settings)).settled == []  # the grace after the end runs
    clock.advance(seconds=settings.campaign_settle_after_seconds)
    run = await campaigns.run_jobs(settings)
    assert run.settled == [launched["id"]]
    assert (await campaigns.run_jobs(settings)).settled == []  # settled once, however often
    ada = await players.refresh(ada)
    settled = await campaigns.get(ada, f"/campaigns/{launched['id']}")
    assert settled["state"] == "settled"
    assert settled["result"]["participants"] == 0
    assert await reconcile() == []


async def test_a_live_campaign_refuses_changes_that_could_take_back_what_players_earned(
    client, players, campaigns, clock
):
    pool = await campaigns.pool(total=10_000, unit_cost=500)
    live = await campaigns.launch(COUNT_RIDES, hours=24)
    for change, field in (
        ({"goal": {"kind": "count", "target": 5, "scenarios": ["carpool_ride"]}}, "goal"),
        ({"audience": {"kind": "regions", "regions": ["CN-42"]}}, "audience"),
        ({"rewards": [{"kind": "voucher", "pool_id": pool["id"], "valid_days": 7}]}, "rewards"),
        ({"starts_at": campaigns.body(COUNT_RIDES, starts_in=-1)["starts_at"]}, "starts_at"),
        ({"state": "draft"}, "state"),
    ):
        refused = await campaigns.patch(live["id"], **change)
        assert refused.status_code == 409, refused.text
        assert refused.json()["type"] == "/problems/campaign-change-refused"
        assert refused.json()["fields"] == [field]
    shorter = await campaigns.patch(
        live["id"], ends_at=campaigns.body(COUNT_RIDES, hours=2)["ends_at"]
    )
    assert shorter.status_code == 409
    assert shorter.json()["type"] == "/problems/campaign-window-shortened"
    stored = await Campaign.get(id=live["id"])
    assert (stored.goal_target, stored.audience_kind) == (3, "everyone")
    # What cannot take anything back is accepted: the same goal again, a later end, a pause.
    same = await campaigns.patch(live["id"], goal=COUNT_RIDES, name="Carpool day (extended)")
    assert same.status_code == 200, same.text
    longer = await campaigns.patch(
        live["id"], ends_at=campaigns.body(COUNT_RIDES, hours=48)["ends_at"], paused=True
    )
    assert longer.status_code == 200, longer.text
    assert longer.json()["paused"] is True
    assert longer.json()["ends_at"] == campaigns.body(COUNT_RIDES, hours=48)["ends_at"] + "+08:00"


async def test_a_campaign_that_has_not_started_can_go_back_to_draft(players, campaigns):
    scheduled = await campaigns.launch(COUNT_RIDES, starts_in=3)
    back = await campaigns.patch(scheduled["id"], state="draft")
    assert back.status_code == 200, back.text
    assert back.json()["state"] == "draft"


async def test_a_settled_campaign_takes_no_change(players, campaigns, clock, settings):
    done = await campaigns.launch(COUNT_RIDES, hours=1)
    clock.advance(hours=1, seconds=settings.campaign_settle_after_seconds)
    assert (await campaigns.run_jobs(settings)).settled == [done["id"]]
    refused = await campaigns.patch(done["id"], name="Again")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/campaign-settled"


async def test_publishing_needs_an_end_still_to_come(players, campaigns, clock):
    draft = await campaigns.create(COUNT_RIDES, hours=1)
    clock.advance(hours=2)
    refused = await campaigns.patch(draft["id"], state="scheduled")
    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/invalid-campaign-window"


async def test_malformed_or_impossible_campaigns_are_refused_and_nothing_is_stored(
    client, players, campaigns
):
    manager = await campaigns.manager()
    grams_pool = await campaigns.pool(total=1_000, unit_cost=10, unit="grams")
    cases = [
        ({"goal": {"kind": "streak", "target": 3, "scope": "team"}}, 422, "invalid-goal"),
        ({"goal": {"kind": "streak", "target": 5}, "hours": 24}, 422, "invalid-goal"),
        ({"goal": {"kind": "count", "target": 1, "scenarios": ["teleport"]}}, 422,
         "unknown-scenario"),
        ({"goal": {"kind": "checkins", "target": 1}}, 422, "invalid-goal"),
        ({"goal": {"kind": "checkins", "target": 1, "topic": "nope"}}, 422, "unknown-topic"),
        ({"goal": {"kind": "energy", "target": 1, "ledger_kinds": ["plant"]}}, 422,
         "invalid-goal"),
        ({"audience": {"kind": "regions"}}, 422, "invalid-audience"),
        ({"audience": {"kind": "invited", "user_ids": [999_999]}}, 422, "invalid-audience"),
        ({"audience": {"kind": "segment", "segment_id": 999}}, 404, "segment-not-found"),
        ({"rewards": [{"kind": "voucher", "valid_days": 30}]}, 422, "invalid-reward"),
        ({"rewards": [{"kind": "voucher", "pool_id": grams_pool["id"], "valid_days": 30}]},
         422, "reward-pool-unit-mismatch"),
        ({"rewards": [{"kind": "voucher", "pool_id": 9_999, "valid_days": 30}]}, 404,
         "reward-pool-not-found"),
        ({"rewards": [{"kind": "prop", "prop": "rocket", "quantity": 1}]}, 404, "unknown-prop"),
        ({"rewards": [{"kind": "energy"}]}, 422, "invalid-reward"),
        ({"timezone": "Mars/Olympus"}, 422, "unknown-timezone"),
        ({"hours": -1}, 422, "invalid-campaign-window"),
        ({"hours": 24 * 400}, 422, "invalid-campaign-window"),
        ({"goal": {"kind": "count", "target": 0}}, 400, "validation-failed"),
        ({"surprise": True}, 400, "validation-failed"),
    ]  # fmt: skip
    for extra, status, problem in cases:
        goal = extra.pop("goal", COUNT_RIDES)
        hours = extra.pop("hours", 24)
        body = campaigns.body(goal, hours=hours, **extra)
        refused = await client.post("/api/v1/campaigns", json=body, headers=manager.headers)
        assert refused.status_code == status, (extra, refused.text)
        assert refused.json()["type"] == f"/problems/{problem}", extra
    assert await Campaign.all().count() == 0


async def test_managers_list_every_campaign_by_state_players_only_theirs(
    client, players, campaigns, clock
):
    ada = await players.new(region="CN-42")
    draft = await campaigns.create(COUNT_RIDES)
    live = await campaigns.launch(COUNT_RIDES)
    later = await campaigns.launch(COUNT_RIDES, starts_in=5)
    elsewhere = await campaigns.launch(
        COUNT_RIDES, audience={"kind": "regions", "regions": ["DE-BE"]}
    )
    manager = await campaigns.manager()
    every = await campaigns.get(manager, "/campaigns")
    assert [c["id"] for c in every["items"]] == [elsewhere["id"], later["id"], live["id"],
                                                  draft["id"]]  # fmt: skip
    only_live = await campaigns.get(manager, "/campaigns", state="live")
    assert [c["id"] for c in only_live["items"]] == [elsewhere["id"], live["id"]]
    mine = await campaigns.get(ada, "/campaigns")
    assert [c["id"] for c in mine["items"]] == [later["id"], live["id"]]
    first = await campaigns.get(ada, "/campaigns", limit=1)
    second = await campaigns.get(ada, "/campaigns", limit=1, cursor=first["next_cursor"])
    assert [c["id"] for c in first["items"] + second["items"]] == [later["id"], live["id"]]
    refused = await client.get(f"/api/v1/campaigns/{elsewhere['id']}", headers=ada.headers)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/not-in-campaign-audience"
