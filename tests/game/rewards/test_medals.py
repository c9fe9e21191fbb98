"""Monthly medals: tiers of the month's grams in the player's calendar, each awarded once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app.domains import reconcile
from game.rewards.models import MedalAward
from tests.events import events_of


async def test_the_medal_catalog_is_data(campaigns, players):
    ada = await players.new()
    medals = await campaigns.get(ada, "/medals")
    credits = next(m for m in medals if m["code"] == "carbon_credits")
    assert [(t["tier"], t["grams"]) for t in credits["tiers"]] == [
        ("bronze", 1_000), ("silver", 5_000), ("gold", 20_000),
    ]  # fmt: skip
    assert credits["scenarios"] is None


async def test_a_months_grams_earn_its_tiers_once_and_the_next_month_starts_afresh(
    app, players, campaigns, clock
):
    ada = await players.new()
    for _ in range(3):
        await campaigns.credit(ada, "metro_ride", "10")  # 429 g each, a mobility scenario
    mine = await campaigns.get(ada, "/me/medals")
    month = {m["code"]: m for m in mine["this_month"]}
    credits, mobility = month["carbon_credits"], month["green_mobility"]
    assert (credits["label"], credits["grams"]) == ("2026-06", 1_287)
    assert [t["awarded_at"] is not None for t in credits["tiers"]] == [True, False, False]
    assert (credits["next_tier"], credits["grams_to_next"]) == ("silver", 5_000 - 1_287)
    assert [t["awarded_at"] is not None for t in mobility["tiers"]] == [True, False, False]
    await campaigns.credit(ada, "second_hand_garment", "1")  # 720 g, not a mobility scenario
    mine = await campaigns.get(ada, "/me/medals")
    assert {m["code"]: m["grams"] for m in mine["this_month"]} == {
        "carbon_credits": 2_007, "green_mobility": 1_287,
    }  # fmt: skip
    assert sorted((h["code"], h["tier"], h["label"]) for h in mine["held"]) == [
        ("carbon_credits", "bronze", "2026-06"), ("green_mobility", "bronze", "2026-06"),
    ]  # fmt: skip
    granted = await events_of(app, ada, "reward.granted")
    assert sorted(e["medal"] for e in granted) == ["Carbon Credits medal", "Green Mobility medal"]

    clock.advance(days=25)  # July in Shanghai
    ada = await players.refresh(ada)
    await campaigns.credit(ada, "metro_ride", "10")
    july = {m["code"]: m for m in (await campaigns.get(ada, "/me/medals"))["this_month"]}
    assert (july["carbon_credits"]["label"], july["carbon_credits"]["grams"]) == ("2026-07", 429)
    assert not any(t["awarded_at"] for t in july["carbon_credits"]["tiers"])
    # A partner's late report of a June ride counts for June.
    await campaigns.credit(ada, "metro_ride", "80", occurred_at=clock.now() - timedelta(days=5))
    june_silver = MedalAward.filter(user_id=ada.id, code="green_mobility", label="2026-06")
    assert sorted(await june_silver.values_list("tier", flat=True)) == ["bronze", "silver"]
    assert await reconcile() == []


async def test_two_reports_crossing_a_threshold_together_earn_it_once(client, players, campaigns):
    ada = await players.new()
    await campaigns.credit(ada, "carpool_ride", "15.06")  # 960 g
    cup, bag = await asyncio.gather(
        players.report(ada, "reusable_cup", "1"), players.report(ada, "no_plastic_bag", "1")
    )
    assert (cup.status_code, bag.status_code) == (201, 201)
    awards = await MedalAward.filter(user_id=ada.id, code="carbon_credits")
    assert [(a.tier, a.grams) for a in awards] == [("bronze", 1_000)]
    assert await reconcile() == []
