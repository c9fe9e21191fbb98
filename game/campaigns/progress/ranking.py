"""Reading a campaign's boards: players, teams or regions, with the viewer's own standing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from core.errors import Invalid
from core.paging import InvalidCursor
from core.users import User
from game.campaigns.lifecycle.goals import goal_of
from game.campaigns.lifecycle.models import Campaign, GoalKind, GoalScope
from game.campaigns.lifecycle.viewing import visible_campaign
from game.campaigns.progress.boards import CampaignBoards, Which, read_campaign_board
from game.campaigns.progress.models import Participant
from game.campaigns.teams.membership import current_team
from game.campaigns.teams.models import Team
from game.leaderboards.boards import BoardPage

MAX_OFFSET = 50_000_000


class NoSuchBoard(Invalid):
    """This campaign keeps no such board: regions only for a region goal, no teams for a streak."""

    code = "campaign-board-not-kept"
    title = "This campaign has no such board"


@dataclass(frozen=True)
class CampaignBoard:
    """A page of a campaign board and the names of its members."""

    campaign: Campaign
    which: Which
    me: str
    page: BoardPage
    names: dict[str, str]


def _kept(campaign: Campaign, which: Which) -> bool:
    goal = goal_of(campaign)
    if which == "regions":
        return goal.scope == GoalScope.REGION
    if which == "teams":
        return goal.kind != GoalKind.STREAK and goal.scope != GoalScope.REGION
    return True


async def _me(campaign: Campaign, which: Which, viewer: User) -> str:
    if which == "players":
        return str(viewer.id)
    if which == "teams":
        team_id = await current_team(None, viewer.id)
        return str(team_id) if team_id is not None else ""
    found = await Participant.get_or_none(campaign_id=campaign.id, user_id=viewer.id)
    return found.region if found is not None else viewer.region


async def _names(boards: CampaignBoards, which: Which, members: list[str]) -> dict[str, str]:
    if which == "regions":
        return {m: m for m in members}
    ids = [int(m) for m in members if m.isdigit()]
    if which == "teams":
        rows = cast(list[tuple[int, str]], await Team.filter(id__in=ids).values_list("id", "name"))
        return {str(i): name for i, name in rows}
    named = await boards.names.names(ids)
    return {str(i): display or username for i, (username, display) in named.items()}


async def campaign_board(
    boards: CampaignBoards,
    now: datetime,
    viewer: User,
    campaign_id: int,
    which: Which,
    offset: int | None,
    limit: int,
    around_me: bool,
) -> CampaignBoard:
    """A page of a campaign's board (or a window around the viewer), rebuilt first if lost."""
    campaign = await visible_campaign(viewer, campaign_id)
    if not _kept(campaign, which):
        raise NoSuchBoard(f"this campaign keeps no {which} board")
    if offset is not None and (around_me or offset > MAX_OFFSET):
        raise InvalidCursor("the cursor is not one this API issued")
    me = await _me(campaign, which, viewer)
    page = await read_campaign_board(
        boards, campaign, which, me, offset or 0, limit, around_me, now
    )
    names = await _names(boards, which, [s.member for s in page.entries])
    return CampaignBoard(campaign, which, me, page, names)
