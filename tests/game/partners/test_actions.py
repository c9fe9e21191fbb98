"""Partner batches go through the carbon rules: per-item outcomes, caps, steps, budgets."""

from __future__ import annotations

from datetime import timedelta

from tortoise import connections

from app.domains import reconcile
from game.partners.ingest.models import BudgetDay, PartnerCredit


async def test_each_item_gets_its_outcome(client, players, partners, clock):
    ada, bo = await players.new(), await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    await partners.link(bo, metro, "card-bo", scenarios=["bus_ride"])
    items = [
        partners.item("card-ada", quantity="10", external_id="t1"),  # credited
        partners.item("card-ada", quantity="75", external_id="t2"),  # capped at 80 km a day
        partners.item("card-ada", quantity="10", external_id="t1"),  # duplicate of t1
        partners.item("card-ada", quantity="5", external_id="t3"),  # nothing left today
        partners.item("card-nobody", external_id="t4"),
        partners.item("card-bo", scenario="metro_ride", external_id="t5"),  # bo consented bus only
        partners.item("card-ada", quantity="0", external_id="t6"),
        partners.item("card-ada", quantity="1.0001", external_id="t7"),
        partners.item(
            "card-ada",
            external_id="t8",
            occurred_at=(clock.now() - timedelta(days=7, seconds=1)).isoformat(),
        ),
        partners.item(
            "card-ada",
            external_id="t9",
            occurred_at=(clock.now() + timedelta(minutes=6)).isoformat(),
        ),
        {"external_id": "t10", "user_ref": "card-ada", "scenario": "metro_ride"},
        {**partners.item("card-ada", external_id="t11"), "grams": 10**9},
        {**partners.item("card-ada", external_id="t12"), "occurred_at": "2026-06-10T11:00:00"},
        {**partners.item("card-ada"), "external_id": "has space"},
        "not an object",
        partners.item("card-bo", scenario="bus_ride", quantity="1", external_id="t13"),
    ]
    sent = await partners.actions(metro, items)
    assert sent.status_code == 200, sent.text
    outcomes = [(o["status"], o.get("reason"), o.get("grams", 0)) for o in sent.json()["items"]]
    assert outcomes == [
        ("credited", None, 429),
        ("capped", None, 3003),  # 70 of 75 km: 70 x 42.9 g
        ("duplicate", None, 0),
        ("capped", "daily-cap-reached", 0),
        ("refused", "no-consent", 0),
        ("refused", "scenario-not-consented", 0),
        ("refused", "invalid-quantity", 0),
        ("refused", "invalid-quantity", 0),
        ("refused", "action-time-out-of-range", 0),
        ("refused", "action-time-out-of-range", 0),
        ("refused", "malformed-item", 0),
        ("refused", "malformed-item", 0),
        ("refused", "malformed-item", 0),
        ("refused", "malformed-item", 0),
        ("refused", "malformed-item", 0),
        ("credited", None, 175),
    ]
    assert sent.json()["counts"] == {"credited": 2, "capped": 2, "duplicate": 1, "refused": 11}
    assert sent.json()["grams"] == 429 + 3003 + 175
    ada_carbon = (await client.get("/api/v1/me/carbon", headers=ada.headers)).json()
    assert ada_carbon["totals"]["all"] == 429 + 3003
    assert await PartnerCredit.all().count() == 3
    assert await reconcile() == []


async def test_a_retried_batch_credits_nothing_twice(client, players, partners, clock):
    ada = await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    items = [partners.item("card-ada", quantity=str(n), external_id=f"r{n}") for n in (1, 2, 3)]
    first = await partners.actions(metro, items)
    clock.advance(seconds=30)
    again = await partners.actions(metro, items)
    assert [o["status"] for o in first.json()["items"]] == ["credited"] * 3
    assert [o["status"] for o in again.json()["items"]] == ["duplicate"] * 3
    assert [o["action_id"] for o in again.json()["items"]] == [
        o["action_id"] for o in first.json()["items"]
    ]
    assert again.json()["grams"] == 0
    carbon = (await client.get("/api/v1/me/carbon", headers=ada.headers)).json()
    assert carbon["totals"]["all"] == 42 + 85 + 128
    assert await reconcile() == []


async def test_daily_cap_follows_the_players_calendar(client, players, partners, clock):
    dara = await players.new(timezone="Europe/Berlin")
    metro = await partners.register("Metro")
    await partners.link(dara, metro, "card-dara")
    full = await partners.actions(metro, [partners.item("card-dara", quantity="80")])
    assert full.json()["counts"] == {"credited": 1}
    # 23:30 UTC is already 01:30 on 11 June in Berlin: a new local day with a fresh cap.
    clock.advance(hours=20, minutes=30)
    late = await partners.actions(metro, [partners.item("card-dara", quantity="5")])
    assert late.json()["items"][0]["status"] == "credited"
    # A ride dated 23:30 on 10 June in Berlin counts against that day, which is full.
    before_midnight = partners.item(
        "card-dara", quantity="5", occurred_at=(clock.now() - timedelta(hours=2)).isoformat()
    )
    capped = await partners.actions(metro, [before_midnight])
    assert (capped.json()["items"][0]["status"], capped.json()["items"][0]["reason"]) == (
        "capped",
        "daily-cap-reached",
    )
    assert await reconcile() == []


async def test_steps_are_a_daily_total_that_tops_up_one_bubble(client, players, partners, clock):
    ada = await players.new()
    band = await partners.register("Band", scenarios=("walking_steps",))
    await partners.link(ada, band, "band-ada")
    step = partners.item

    async def report(total: str, external_id: str = "steps-0610"):
        clock.advance(seconds=1)
        sent = await partners.actions(band, [step("band-ada", "walking_steps", total, external_id)])
        assert sent.status_code == 200, sent.text
        return sent.json()["items"][0]

    first = await report("4000")
    assert (first["status"], first["grams"]) == ("credited", 105)
    assert (await report("4000"))["status"] == "duplicate"  # a resend
    grown = await report("10000")  # the same id, a larger total: only the 6,000 more
    assert (grown["status"], grown["grams"], grown["bubble_id"]) == (
        "credited",
        157,
        first["bubble_id"],
    )
    assert (await report("9000", "steps-0610-b"))["status"] == "duplicate"  # not larger
    more = await report("12000", "steps-0610-b")
    assert (more["grams"], more["bubble_id"]) == (52, first["bubble_id"])
    bubbles = (await players.forest(ada))["bubbles"]
    assert [(b["amount"], b["state"]) for b in bubbles] == [(105 + 157 + 52, "growing")]

    # The bubble ripens at 07:00 the next morning; a late total of that day still joins it while
    # nobody has taken from it, and makes a second bubble once it was collected.
    clock.set(clock.now().replace(hour=23, minute=30))  # 07:30 on 11 June in Shanghai
    yesterday = (clock.now() - timedelta(hours=12)).isoformat()
    late = await partners.actions(
        band, [step("band-ada", "walking_steps", "13000", "late-1", occurred_at=yesterday)]
    )
    assert late.json()["items"][0]["bubble_id"] == first["bubble_id"]
    ada = await players.refresh(ada)
    collected = await client.post(
        f"/api/v1/bubbles/{first['bubble_id']}/collect", headers=ada.headers
    )
    assert collected.status_code == 200, collected.text
    later = await partners.actions(
        band, [step("band-ada", "walking_steps", "14000", "late-2", occurred_at=yesterday)]
    )
    second = later.json()["items"][0]
    assert second["bubble_id"] != first["bubble_id"] and second["grams"] == 26
    states = {b["id"]: b["state"] for b in (await players.forest(ada))["bubbles"]}
    assert (states[first["bubble_id"]], states[second["bubble_id"]]) == ("collected", "ripe")
    carbon = (await client.get("/api/v1/me/carbon", headers=ada.headers)).json()
    assert carbon["scenarios"][0]["all_quantity"] == "14000.000"
    assert await reconcile() == []


async def test_a_partners_daily_budget_stops_minting(client, players, partners, clock):
    ada, bo = await players.new(), await players.new()
    shop = await partners.register(
        "Shop", scenarios=("second_hand_computer",), daily_budget_grams=400_000
    )
    await partners.link(ada, shop, "shop-ada")
    await partners.link(bo, shop, "shop-bo")
    computer = "second_hand_computer"
    # 325,280 g and 162,640 g: together over the 400,000 g budget. The two players' items go
    # side by side, so either may be first; the other is refused.
    items = [partners.item("shop-ada", computer, "2"), partners.item("shop-bo", computer, "1")]
    sent = await partners.actions(shop, items)
    outcomes = [(o["status"], o.get("reason")) for o in sent.json()["items"]]
    assert sorted(outcomes, key=str) == [
        ("credited", None),
        ("refused", "partner-budget-exhausted"),
    ]
    refused = next(i for i, o in zip(items, outcomes, strict=True) if o[0] == "refused")
    day = await BudgetDay.get(platform_id=shop.id)
    assert day.used == sent.json()["grams"] <= day.budget == 400_000
    # The budget follows the partner's calendar: a new day in Shanghai, a new budget.
    clock.advance(hours=13)
    retry = await partners.actions(shop, [{**refused, "occurred_at": clock.now().isoformat()}])
    assert retry.json()["items"][0]["status"] == "credited"
    for player in (ada, bo):
        player = await players.refresh(player)
        carbon = (await client.get("/api/v1/me/carbon", headers=player.headers)).json()
        assert carbon["totals"]["all"] > 0
    assert await reconcile() == []


async def test_reconcile_catches_a_credit_without_a_consent_in_force(
    client, players, partners, clock
):
    ada = await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    await partners.actions(metro, [partners.item("card-ada")])
    assert await reconcile() == []
    await connections.get("default").execute_script(
        "UPDATE partner_consents SET granted_at = '2030-01-01 00:00:00+00:00'"
    )
    checks = {m.check for m in await reconcile()}
    assert "every partner credit had a consent in force for its player and scenario" in checks


async def test_a_fault_on_one_item_refuses_it_alone_and_never_answers_5xx(
    client, players, partners, clock
):
    ada = await players.new()
    metro = await partners.register("Metro")
    await partners.link(ada, metro, "card-ada")
    conn = connections.get("default")
    await conn.execute_script("ALTER TABLE partner_credits RENAME TO partner_credits_away")
    try:
        sent = await partners.actions(metro, [partners.item("card-ada", external_id="f1")])
    finally:
        await conn.execute_script("ALTER TABLE partner_credits_away RENAME TO partner_credits")
    assert sent.status_code == 200, sent.text
    assert sent.json()["items"][0]["reason"] == "temporarily-unavailable"
    assert (await client.get("/api/v1/me/carbon", headers=ada.headers)).json()["totals"]["all"] == 0
    clock.advance(seconds=1)
    again = await partners.actions(metro, [partners.item("card-ada", external_id="f1")])
    assert again.json()["items"][0]["status"] == "credited"
    assert await reconcile() == []
