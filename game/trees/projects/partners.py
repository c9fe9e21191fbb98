"""Planting partners: the organisations that plant, and the staff who report for them."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.errors import Conflict, Invalid, NotFound
from core.users import Role, User
from game.trees.projects.models import (
    PartnerMember,
    PartnerOrganisation,
)


class PartnerNotFound(NotFound):
    """No such planting partner organisation."""

    code = "planting-partner-not-found"
    title = "Planting partner not found"


class PartnerNameTaken(Conflict):
    """Partner organisation names are unique."""

    code = "planting-partner-exists"
    title = "A planting partner with this name exists"


class NotAPartnerUser(Invalid):
    """Only users with the planting_partner role can report for an organisation."""

    code = "not-a-planting-partner-user"
    title = "The user does not have the planting_partner role"


async def create_partner(clock: Clock, name: str, region: str) -> PartnerOrganisation:
    """Register a planting partner organisation."""
    try:
        return await PartnerOrganisation.create(
            name=name.strip(), region=region, created_at=clock.now()
        )
    except IntegrityError:
        raise PartnerNameTaken(f"{name!r} is registered already") from None


async def partner_by_name(name: str) -> PartnerOrganisation:
    """The organisation with this name, or PartnerNotFound."""
    organisation = await PartnerOrganisation.get_or_none(name=name.strip())
    if organisation is None:
        raise PartnerNotFound(f"no planting partner is called {name!r}")
    return organisation


async def attach_partner_user(clock: Clock, organisation_id: int, user_id: int) -> PartnerMember:
    """Let a planting_partner user report for an organisation (moving them from another)."""
    if not await PartnerOrganisation.exists(id=organisation_id):
        raise PartnerNotFound(f"no planting partner {organisation_id}")
    user = await User.get_or_none(id=user_id)
    if user is None or user.role != Role.PLANTING_PARTNER:
        raise NotAPartnerUser(f"user {user_id} is not a planting_partner user")
    now = clock.now()
    await PartnerMember.bulk_create(
        [PartnerMember(user_id=user_id, organisation_id=organisation_id, created_at=now)],
        ignore_conflicts=True,
    )
    await PartnerMember.filter(user_id=user_id).update(organisation_id=organisation_id)
    return await PartnerMember.get(user_id=user_id)


async def list_partners() -> list[PartnerOrganisation]:
    """Every planting partner organisation."""
    return list(await PartnerOrganisation.all().order_by("id"))
