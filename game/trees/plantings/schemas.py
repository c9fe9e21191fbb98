"""Request and response shapes of plantings and partners' reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

from core.fields import IdIn
from game.trees.plantings.models import Planting, PlantingEvent, tree_number
from game.trees.species.schemas import SpeciesCode

Note = Annotated[str, msgspec.Meta(max_length=200)]


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


class ReportForm(msgspec.Struct, forbid_unknown_fields=True):
    """A partner's report that a tree is in the ground (multipart: fields and a photo file)."""

    planted_on: date
    plot: Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[\x20-\x7e]+$")]
    latitude: float
    longitude: float
    photo: UploadFile
    note: Note = ""
