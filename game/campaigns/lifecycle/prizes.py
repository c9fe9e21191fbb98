"""A campaign's rewards: what completing its goal pays, and which pool pays it.

Each reward is energy (a `campaign_reward` ledger row), a prop, a medal, or a voucher from a
budget pool in fen (its face value is the pool's unit cost). Energy, props and medals may also
name a pool, to cap how many are given. See docs/rules.md#rewards.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from core.errors import Invalid
from game.campaigns.lifecycle.models import CampaignReward
from game.props.inventory import prop_kind
from game.rewards.grants import RewardSpec
from game.rewards.pools import usable_pool

MAX_REWARDS = 5


class InvalidReward(Invalid):
    """A reward that does not fit its kind: energy needs grams, a prop its kind and quantity,
    a medal its name, a voucher a pool and how many days it is valid."""

    code = "invalid-reward"
    title = "This reward cannot be set"


async def checked_rewards(rewards: Sequence[RewardSpec]) -> list[RewardSpec]:
    """The rewards if each fits its kind and its pool is open (in fen for a voucher)."""
    if len(rewards) > MAX_REWARDS:
        raise InvalidReward(f"a campaign has at most {MAX_REWARDS} rewards")
    checked = []
    for r in rewards:
        if r.kind == "energy" and not 1 <= r.grams <= 1_000_000:
            raise InvalidReward("an energy reward is 1 to 1,000,000 g")
        if r.kind == "prop":
            prop_kind(r.prop_kind)
            if not 1 <= r.quantity <= 100:
                raise InvalidReward("a prop reward gives 1 to 100 props")
        if r.kind == "medal" and not 1 <= len(r.medal_name.strip()) <= 120:
            raise InvalidReward("a medal reward needs a name of 1 to 120 characters")
        if r.kind == "voucher":
            if r.pool_id is None:
                raise InvalidReward("a voucher is paid from a budget pool: give `pool_id`")
            if not 1 <= r.valid_days <= 366:
                raise InvalidReward("a voucher is valid for 1 to 366 days")
        if r.pool_id is not None:
            await usable_pool(r.pool_id, needs_fen=r.kind == "voucher")
        checked.append(
            RewardSpec(
                kind=r.kind,
                grams=r.grams if r.kind == "energy" else 0,
                prop_kind=r.prop_kind if r.kind == "prop" else "",
                quantity=r.quantity if r.kind == "prop" else 0,
                medal_name=r.medal_name.strip() if r.kind == "medal" else "",
                valid_days=r.valid_days if r.kind == "voucher" else 0,
                pool_id=r.pool_id,
            )
        )
    return checked


def spec_of(reward: CampaignReward) -> RewardSpec:
    """The reward a campaign reward row describes."""
    return RewardSpec(
        kind=reward.kind,  # type: ignore[arg-type]
        grams=reward.grams, prop_kind=reward.prop_kind, quantity=reward.quantity,
        medal_name=reward.medal_name, valid_days=reward.valid_days, pool_id=reward.pool_id,
    )  # fmt: skip


async def replace_rewards(
    conn: BaseDBAsyncClient, campaign_id: int, rewards: Sequence[RewardSpec]
) -> None:
    """Store a campaign's rewards in place of the ones it had (drafts only: none granted)."""
    await CampaignReward.filter(campaign_id=campaign_id).using_db(conn).delete()
    await CampaignReward.bulk_create(
        [
            CampaignReward(
                campaign_id=campaign_id,
                position=i,
                kind=r.kind,
                grams=r.grams,
                prop_kind=r.prop_kind,
                quantity=r.quantity,
                medal_name=r.medal_name,
                valid_days=r.valid_days,
                pool_id=r.pool_id,
            )
            for i, r in enumerate(rewards)
        ],
        using_db=conn,
    )


async def rewards_of(
    campaign_id: int, conn: BaseDBAsyncClient | None = None
) -> list[CampaignReward]:
    """A campaign's rewards, in the order given."""
    rows = CampaignReward.filter(campaign_id=campaign_id).using_db(conn)
    return list(await rows.order_by("position", "id"))
