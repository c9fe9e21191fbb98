"""Creating and changing campaigns (docs/rules.md#lifecycle).

A draft (and a published campaign that has not started) can be changed freely. Once it has
started, a change that could take back what players earned is refused: the goal, the
audience, the rewards, the start and the time zone stay as they are, and the end only moves
later. Pausing, a later end, and the name, description and art are accepted. Budget is added to
the campaign's pools (`POST /api/v1/reward-pools/{id}/fund`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, cast

from tortoise.backends.base.client import BaseDBAsyncClient

from core.clock import Clock
from core.db import in_transaction
from game.campaigns.lifecycle.audiences import Audience, checked_audience
from game.campaigns.lifecycle.goals import Goal, checked_goal, goal_of
from game.campaigns.lifecycle.models import (
    AudienceKind,
    Campaign,
    CampaignInvite,
    CampaignTrigger,
    Stage,
)
from game.campaigns.lifecycle.prizes import checked_rewards, replace_rewards, rewards_of, spec_of
from game.campaigns.lifecycle.states import (
    CampaignNotFound,
    CampaignSettled,
    LiveChangeRefused,
    WindowShortened,
    allowed_changes,
    campaign_state,
)
from game.campaigns.lifecycle.windows import InvalidWindow, Window, window
from game.carbon.catalog import Catalog
from game.rewards.grants import RewardSpec


@dataclass(frozen=True)
class CampaignDraft:
    """Everything a campaign manager gives to create a campaign (created as a draft)."""

    name: str
    description: str
    art_url: str
    window: Window
    audience: Audience
    goal: Goal
    rewards: Sequence[RewardSpec]


@dataclass(frozen=True)
class CampaignChanges:
    """What a manager asks to change; None leaves a field as it is."""

    name: str | None = None
    description: str | None = None
    art_url: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    timezone: str | None = None
    audience: Audience | None = None
    goal: Goal | None = None
    rewards: Sequence[RewardSpec] | None = None
    state: Literal["draft", "scheduled"] | None = None
    paused: bool | None = None
    # Filled in by the rule from the parts above and the campaign's current window.
    window: Window | None = None


async def create_campaign(
    clock: Clock, catalog: Catalog, creator_id: int, draft: CampaignDraft
) -> Campaign:
    """Create a campaign as a draft; nothing counts until it is published and live."""
    w = draft.window
    goal = checked_goal(catalog, draft.goal, w.starts_at, w.ends_at, w.tz)
    audience = await checked_audience(draft.audience)
    rewards = await checked_rewards(draft.rewards)
    now = clock.now()
    async with in_transaction() as conn:
        campaign = await Campaign.create(
            using_db=conn, name=draft.name, description=draft.description,
            art_url=draft.art_url, timezone=w.timezone, starts_at=w.starts_at,
            ends_at=w.ends_at, stage=Stage.DRAFT, audience_kind=audience.kind,
            audience_regions=list(audience.regions), segment_id=audience.segment_id,
            goal_kind=goal.kind, goal_scope=goal.scope, goal_target=goal.target,
            goal_filter=goal.filter_json(), created_by_id=creator_id, created_at=now,
            updated_at=now,
        )  # fmt: skip
        await _write_goal(conn, campaign.id, goal)
        await _write_invites(conn, campaign.id, audience.user_ids)
        await replace_rewards(conn, campaign.id, rewards)
    return campaign


async def _write_goal(conn: BaseDBAsyncClient, campaign_id: int, goal: Goal) -> None:
    await CampaignTrigger.filter(campaign_id=campaign_id).using_db(conn).delete()
    await CampaignTrigger.bulk_create(
        [CampaignTrigger(campaign_id=campaign_id, source=s, key=k) for s, k in goal.triggers()],
        using_db=conn,
    )


async def _write_invites(
    conn: BaseDBAsyncClient, campaign_id: int, user_ids: Sequence[int]
) -> None:
    await CampaignInvite.filter(campaign_id=campaign_id).using_db(conn).delete()
    await CampaignInvite.bulk_create(
        [CampaignInvite(campaign_id=campaign_id, user_id=u) for u in user_ids],
        using_db=conn,
        batch_size=1000,
    )


async def audience_of(campaign: Campaign, conn: BaseDBAsyncClient | None = None) -> Audience:
    """The audience a campaign row holds, invited players included."""
    invited: tuple[int, ...] = ()
    if campaign.audience_kind == AudienceKind.INVITED:
        rows = CampaignInvite.filter(campaign_id=campaign.id).using_db(conn)
        invited = tuple(sorted(cast(list[int], await rows.values_list("user_id", flat=True))))
    return Audience(
        AudienceKind(campaign.audience_kind), tuple(campaign.audience_regions), invited,
        campaign.segment_id,
    )  # fmt: skip


async def update_campaign(
    clock: Clock, catalog: Catalog, campaign_id: int, changes: CampaignChanges
) -> Campaign:
    """Apply a manager's changes, as far as the campaign's state allows."""
    now = clock.now()
    async with in_transaction() as conn:
        campaign = await Campaign.filter(id=campaign_id).using_db(conn).select_for_update().first()
        if campaign is None:
            raise CampaignNotFound(f"no campaign {campaign_id}")
        state = campaign_state(campaign, now)
        if state == "settled":
            raise CampaignSettled()
        new = await _normalised(catalog, campaign, changes)
        changed = await _changed_fields(conn, campaign, new)
        allowed = allowed_changes(state)
        if allowed is not None and changed - allowed:
            refused = sorted(changed - allowed)
            raise LiveChangeRefused(f"a {state} campaign cannot change {refused}", fields=refused)
        if state == "live" and new.window is not None and new.window.ends_at < campaign.ends_at:
            raise WindowShortened()
        await _apply(conn, campaign, new, changed, now)
    return campaign


async def _normalised(
    catalog: Catalog, campaign: Campaign, changes: CampaignChanges
) -> CampaignChanges:
    """The changes validated, and written in the form the campaign stores."""
    w = Window(campaign.starts_at, campaign.ends_at, campaign.timezone)
    new_window = None
    if (changes.starts_at, changes.ends_at, changes.timezone) != (None, None, None):
        w = new_window = window(
            changes.starts_at or w.starts_at, changes.ends_at or w.ends_at,
            changes.timezone or w.timezone,
        )  # fmt: skip
    goal = changes.goal
    if goal is not None or new_window is not None:
        goal = checked_goal(catalog, goal or goal_of(campaign), w.starts_at, w.ends_at, w.tz)
    audience = await checked_audience(changes.audience) if changes.audience else None
    rewards = await checked_rewards(changes.rewards) if changes.rewards is not None else None
    return replace(changes, window=new_window, goal=goal, audience=audience, rewards=rewards)


async def _changed_fields(
    conn: BaseDBAsyncClient, campaign: Campaign, new: CampaignChanges
) -> set[str]:
    """The fields whose new value differs from the campaign's."""
    changed = {
        name
        for name in ("name", "description", "art_url", "paused")
        if getattr(new, name) is not None and getattr(new, name) != getattr(campaign, name)
    }
    if new.window is not None:
        changed |= {
            name
            for name, old, value in (
                ("starts_at", campaign.starts_at, new.window.starts_at),
                ("ends_at", campaign.ends_at, new.window.ends_at),
                ("timezone", campaign.timezone, new.window.timezone),
            )
            if old != value
        }
    if new.goal is not None and new.goal != goal_of(campaign):
        changed.add("goal")
    if new.audience is not None and new.audience != await audience_of(campaign, conn):
        changed.add("audience")
    if new.rewards is not None:
        current = [spec_of(r) for r in await rewards_of(campaign.id, conn)]
        if list(new.rewards) != current:
            changed.add("rewards")
    published = campaign.stage != Stage.DRAFT
    if new.state is not None and (new.state == "scheduled") != published:
        changed.add("state")
    return changed


async def _apply(
    conn: BaseDBAsyncClient, campaign: Campaign, new: CampaignChanges, changed: set[str],
    now: datetime,
) -> None:  # fmt: skip
    """Write the changed fields (and the goal's triggers, invitations and rewards)."""
    if not changed:
        return
    for name in ("name", "description", "art_url", "paused"):
        if name in changed:
            setattr(campaign, name, getattr(new, name))
    if new.window is not None:
        campaign.starts_at, campaign.ends_at = new.window.starts_at, new.window.ends_at
        campaign.timezone = new.window.timezone
    if new.goal is not None and "goal" in changed:
        goal = new.goal
        campaign.goal_kind, campaign.goal_scope = goal.kind, goal.scope
        campaign.goal_target, campaign.goal_filter = goal.target, goal.filter_json()
        await _write_goal(conn, campaign.id, goal)
    if new.audience is not None and "audience" in changed:
        audience = new.audience
        campaign.audience_kind, campaign.segment_id = audience.kind, audience.segment_id
        campaign.audience_regions = list(audience.regions)
        await _write_invites(conn, campaign.id, audience.user_ids)
    if new.rewards is not None and "rewards" in changed:
        await replace_rewards(conn, campaign.id, new.rewards)
    if "state" in changed:
        if new.state == "scheduled":
            if campaign.ends_at <= now:
                raise InvalidWindow("a campaign is published with its end still to come")
            campaign.stage, campaign.published_at = Stage.PUBLISHED, now
        else:
            campaign.stage, campaign.published_at = Stage.DRAFT, None
    campaign.updated_at = now
    await campaign.save(using_db=conn)
