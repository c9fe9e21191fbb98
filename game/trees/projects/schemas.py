"""Request and response shapes of planting partners and projects."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.fields import IdIn, Name, Place, Region
from game.trees.projects.models import PartnerOrganisation, PlantingProject
from game.trees.species.schemas import SpeciesCode

Quota = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]


class PartnerIn(msgspec.Struct, forbid_unknown_fields=True):
    """A planting partner organisation to register."""

    name: Name
    region: Region = ""


class PartnerOut(msgspec.Struct):
    """A planting partner organisation."""

    id: int
    name: str
    region: str


def partner_out(organisation: PartnerOrganisation) -> PartnerOut:
    """Show a partner organisation."""
    return msgspec.convert(organisation, PartnerOut, from_attributes=True)


class PartnerMemberIn(msgspec.Struct, forbid_unknown_fields=True):
    """A planting_partner user who reports for the organisation."""

    user_id: IdIn


class PartnerMemberOut(msgspec.Struct):
    """A user attached to a partner organisation."""

    user_id: int
    organisation_id: int


class ProjectIn(msgspec.Struct, forbid_unknown_fields=True):
    """A planting project to open."""

    name: Name
    partner_id: IdIn
    species: SpeciesCode
    place: Place
    quota_per_year: Quota
    region: Region = ""


class ProjectPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Changes to a project: its status or yearly quota."""

    status: Annotated[str, msgspec.Meta(pattern=r"^(active|paused|closed)$")] | None = None
    quota_per_year: Quota | None = None


class ProjectOut(msgspec.Struct):
    """A planting project with this year's use of its quota."""

    id: int
    name: str
    partner_id: int
    species: str
    region: str
    place: str
    quota_per_year: int
    status: str
    year: int
    used_this_year: int
    remaining_this_year: int


def project_out(project: PlantingProject, year: int, used: int, remaining: int) -> ProjectOut:
    """Show a project and its quota for `year`."""
    return ProjectOut(
        id=project.id,
        name=project.name,
        partner_id=project.organisation_id,
        species=project.species,
        region=project.region,
        place=project.place,
        quota_per_year=project.quota_per_year,
        status=str(project.status),
        year=year,
        used_this_year=used,
        remaining_this_year=remaining,
    )
