"""Public-welfare projects: players donate energy, a sponsor's pool matches it 1:1 until spent."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tortoise.expressions import F

from core.clock import Clock
from core.db import in_transaction
from core.errors import Conflict, NotFound
from core.events import EventSink
from core.ids import new_code
from core.users import Role, User
from game.energy.ledger import apply_entry, require_balance
from game.trees.welfare.models import Donation, OpenStatus, WelfareProject


class WelfareProjectNotFound(NotFound):
    """No such welfare project."""

    code = "welfare-project-not-found"
    title = "Welfare project not found"


class WelfareProjectClosed(Conflict):
    """The project takes no more donations."""

    code = "welfare-project-closed"
    title = "This welfare project is closed"


class DonationNotFound(NotFound):
    """No such donation among the caller's."""

    code = "donation-not-found"
    title = "Donation not found"


@dataclass(frozen=True)
class NewWelfareProject:
    """What a campaign manager or admin gives to open a welfare project."""

    name: str
    beneficiary: str
    description: str
    sponsor: str
    match_budget: int


async def create_welfare_project(
    clock: Clock, creator_id: int, given: NewWelfareProject
) -> WelfareProject:
    """Open a welfare project, with a sponsor's matching pool if it has a budget."""
    return await WelfareProject.create(
        **asdict(given), match_remaining=given.match_budget, created_by_id=creator_id,
        created_at=clock.now(),
    )  # fmt: skip


async def donate(
    clock: Clock, events: EventSink, user_id: int, project_id: int, grams: int
) -> Donation:
    """Give energy to a project; the sponsor matches as much of it as the pool has left."""
    if not await WelfareProject.exists(id=project_id):
        raise WelfareProjectNotFound(f"no welfare project {project_id}")
    await require_balance(user_id, grams)
    async with in_transaction() as conn:
        project = (
            await WelfareProject.filter(id=project_id).using_db(conn).select_for_update().first()
        )
        if project is None:
            raise WelfareProjectNotFound(f"no welfare project {project_id}")
        if project.status != OpenStatus.OPEN:
            raise WelfareProjectClosed()
        match = min(grams, project.match_remaining)
        # The pool's guard is in the UPDATE too, so it can never be overspent.
        drawn = (
            await WelfareProject.filter(id=project_id, match_remaining__gte=match)
            .using_db(conn)
            .update(
                match_remaining=F("match_remaining") - match,
                match_spent=F("match_spent") + match,
                raised=F("raised") + grams,
            )
        )
        if drawn == 0:
            raise WelfareProjectClosed("the matching pool changed; try again")
        donation = await Donation.create(
            using_db=conn, project_id=project_id, user_id=user_id, grams=grams, matched=match,
            code=new_code(), created_at=clock.now(),
        )  # fmt: skip
        await apply_entry(
            conn, clock, user_id=user_id, delta=-grams, kind="donate",
            key=f"donate:{donation.id}", reason=project.name,
        )  # fmt: skip
        await events.publish(
            conn, user_id, "donation.made",
            {"donation_id": donation.id, "grams": grams, "matched": match},
        )  # fmt: skip
    return donation


async def visible_donation(user: User, donation_id: int) -> Donation:
    """A donation its donor or staff may see."""
    donation = await Donation.filter(id=donation_id).prefetch_related("project", "user").first()
    staff = user.role in (Role.ADMIN, Role.CAMPAIGN_MANAGER)
    if donation is None or (donation.user_id != user.id and not staff):
        raise DonationNotFound(f"no donation {donation_id}")
    return donation


async def my_donations(user_id: int) -> list[Donation]:
    """A player's donations, newest first."""
    return list(
        await Donation.filter(user_id=user_id)
        .order_by("-id")
        .limit(100)
        .prefetch_related("project")
    )


async def set_welfare_status(project_id: int, status: OpenStatus) -> WelfareProject:
    """Open or close a welfare project for donations."""
    if await WelfareProject.filter(id=project_id).update(status=status) == 0:
        raise WelfareProjectNotFound(f"no welfare project {project_id}")
    return await WelfareProject.get(id=project_id)


async def welfare_projects() -> list[WelfareProject]:
    """Every public-welfare project, oldest first."""
    return list(await WelfareProject.all().order_by("id"))
