"""Request and response shapes of species, trees, projects, partners and plantings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

from game.trees.models import PartnerOrganisation, Planting, PlantingEvent, PlantingProject
from game.trees.plantings import tree_number
from game.trees.species import Species, TreeView

SpeciesCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9_]{1,32}$", examples=["saxaul"])]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=r"^\S(.*\S)?$")]
Region = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{0,32}$", examples=["CN-15"])]
Place = Annotated[str, msgspec.Meta(min_length=1, max_length=160, pattern=r"^\S(.*\S)?$")]
IdIn = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
Quota = Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]
Note = Annotated[str, msgspec.Meta(max_length=200)]


class StageOut(msgspec.Struct):
    """A growth stage and the picture of it."""

    stage: int
    name: str
    from_grams: int
    image: str


class SpeciesOut(msgspec.Struct):
    """A species a player can grow, what planting one costs, and who plants it where."""

    code: str
    name: str
    latin: str
    energy_grams: int
    region: str
    planting_partner: str
    description: str
    source: str
    stages: list[StageOut]


def stage_image(species: Species, stage: int) -> str:
    """The URL of a species' art at a stage."""
    return f"/api/v1/species/{species.code}/stages/{stage}.png"


def species_out(species: Species, stages: list[tuple[int, str, int]]) -> SpeciesOut:
    """Show a species with its stages (number, name, permille of the cost)."""
    return SpeciesOut(
        code=species.code,
        name=species.name,
        latin=species.latin,
        energy_grams=species.energy_grams,
        region=species.region,
        planting_partner=species.planting_partner,
        description=species.description,
        source=species.source,
        stages=[
            StageOut(n, name, -(-species.energy_grams * permille // 1000), stage_image(species, n))
            for n, name, permille in stages
        ],
    )


class TreeIn(msgspec.Struct, forbid_unknown_fields=True):
    """The species to grow."""

    species: SpeciesCode


class TreeOut(msgspec.Struct):
    """The tree growing in a forest: species, stage from the balance, whether it can be planted."""

    species: str
    name: str
    chosen: bool
    energy_grams: int
    balance: int
    progress_permille: int
    stage: int
    stage_name: str
    image: str
    can_plant: bool


def tree_out(view: TreeView) -> TreeOut:
    """Show a player's tree."""
    cost = view.species.energy_grams
    return TreeOut(
        species=view.species.code,
        name=view.species.name,
        chosen=view.chosen,
        energy_grams=cost,
        balance=view.balance,
        progress_permille=min(1000, max(0, view.balance) * 1000 // cost),
        stage=view.stage.stage,
        stage_name=view.stage.name,
        image=stage_image(view.species, view.stage.stage),
        can_plant=view.can_plant,
    )


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
    return PartnerOut(id=organisation.id, name=organisation.name, region=organisation.region)


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


class PlantIn(msgspec.Struct, forbid_unknown_fields=True):
    """Apply to plant: the species, and optionally the project to plant with."""

    species: SpeciesCode
    project_id: IdIn | None = None


class StatusEventOut(msgspec.Struct):
    """One step in a planting's history."""

    status: str
    version: int
    at: datetime
    note: str


class PlantingOut(msgspec.Struct):
    """A real tree: where it stands and what the certificate says."""

    id: int
    tree_number: str
    species: str
    cost: int
    project_id: int
    project: str
    place: str
    status: str
    version: int
    verification_code: str
    planted_on: date | None
    plot: str
    latitude: float | None
    longitude: float | None
    photo: str | None
    certificate: str
    coplanting_id: int | None
    created_at: datetime
    history: list[StatusEventOut] | None = None


def planting_out(planting: Planting, history: list[PlantingEvent] | None = None) -> PlantingOut:
    """Show a planting (its project must be fetched)."""
    project = planting.project
    return PlantingOut(
        id=planting.id,
        tree_number=tree_number(planting),
        species=planting.species,
        cost=planting.cost,
        project_id=project.id,
        project=project.name,
        place=project.place,
        status=str(planting.status),
        version=planting.version,
        verification_code=planting.code,
        planted_on=planting.planted_on,
        plot=planting.plot,
        latitude=None if planting.latitude_e6 is None else planting.latitude_e6 / 1e6,
        longitude=None if planting.longitude_e6 is None else planting.longitude_e6 / 1e6,
        photo=f"/api/v1/plantings/{planting.id}/photo" if planting.photo else None,
        certificate=f"/api/v1/plantings/{planting.id}/certificate.png",
        coplanting_id=planting.coplanting_id,
        created_at=planting.created_at,
        history=None
        if history is None
        else [StatusEventOut(e.status, e.version, e.created_at, e.note) for e in history],
    )


class PlantingPageOut(msgspec.Struct):
    """A page of plantings, newest first; pass `next_cursor` as `cursor` for the next."""

    items: list[PlantingOut]
    next_cursor: str | None


class VerifyIn(msgspec.Struct, forbid_unknown_fields=True):
    """Staff confirmation of a reported planting."""

    note: Note = ""


class CertificateOut(msgspec.Struct):
    """What a certificate states, for anyone holding its code."""

    kind: str
    code: str
    title: str
    names: list[str]
    headline: str
    details: list[tuple[str, str]]


class ReportForm(msgspec.Struct, forbid_unknown_fields=True):
    """A partner's report that a tree is in the ground (multipart: fields and a photo file)."""

    planted_on: date
    plot: Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[\x20-\x7e]+$")]
    latitude: float
    longitude: float
    photo: UploadFile
    note: Note = ""
