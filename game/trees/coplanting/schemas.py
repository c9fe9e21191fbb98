"""Request and response shapes of co-planting."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import IdIn
from game.trees.coplanting.funding import MemberShare
from game.trees.coplanting.models import CoPlanting
from game.trees.species.schemas import SpeciesCode

Grams = Annotated[int, msgspec.Meta(ge=1, le=100_000_000, description="Grams of energy")]


class CoPlantingIn(msgspec.Struct, forbid_unknown_fields=True):
    """A tree to fund with friends: the species, whom to invite, optionally the project."""

    species: SpeciesCode
    invite: Annotated[list[IdIn], msgspec.Meta(min_length=1, max_length=20)]
    project_id: IdIn | None = None


class ContributeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Energy to put into a co-planted tree; anything above what is missing is not taken."""

    grams: Grams


class MemberOut(msgspec.Struct):
    """A member of a co-planting and what they have put in."""

    user_id: int
    display_name: str
    contributed: int


class CoPlantingOut(msgspec.Struct):
    """A co-planted tree: how far it is funded, who is in, and its planting once funded."""

    id: int
    species: str
    project_id: int
    starter_id: int
    cost: int
    funded: int
    missing: int
    status: str
    planting_id: int | None
    created_at: datetime
    members: list[MemberOut] | None = None


def coplanting_out(
    coplanting: CoPlanting, members: list[MemberShare] | None = None
) -> CoPlantingOut:
    """Show a co-planting (with its members when given)."""
    return CoPlantingOut(
        id=coplanting.id,
        species=coplanting.species,
        project_id=coplanting.project_id,
        starter_id=coplanting.starter_id,
        cost=coplanting.cost,
        funded=coplanting.funded,
        missing=coplanting.cost - coplanting.funded if coplanting.status == "open" else 0,
        status=str(coplanting.status),
        planting_id=coplanting.planting_id,
        created_at=coplanting.created_at,
        members=None
        if members is None
        else [MemberOut(m.user.id, m.user.display_name, m.contributed) for m in members],
    )


class ContributedOut(msgspec.Struct):
    """What a contribution took, and the co-planting afterwards."""

    contributed: int
    coplanting: CoPlantingOut
