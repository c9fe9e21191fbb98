"""Planting partners report the trees they planted: date, plot, GPS and a photo."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from core.clock import Clock
from core.db import in_transaction
from core.errors import Forbidden, Invalid
from core.events import EventSink
from core.paging import keyset_page
from game.trees.plantings.models import Planting, PlantingStatus
from game.trees.plantings.owners import PlantingNotFound
from game.trees.plantings.photos import PhotoLimits, clean_photo, store_photo
from game.trees.plantings.status import (
    StatusChange,
    WrongPlantingStatus,
    announce_status,
    change_status,
)
from game.trees.projects.models import PartnerMember

PHOTO_FOLDER = "plantings"


class NotAttachedToPartner(Forbidden):
    """The planting_partner user has not been attached to an organisation yet."""

    code = "not-attached-to-a-planting-partner"
    title = "You do not report for any planting partner yet"


class PlantingOfAnotherPartner(Forbidden):
    """The tree belongs to a project of another planting partner."""

    code = "planting-of-another-partner"
    title = "This tree is planted by another partner"


class GpsOutOfRange(Invalid):
    """Latitude must be within -90..90 and longitude within -180..180 degrees."""

    code = "gps-out-of-range"
    title = "GPS position out of range"


class PlantedDateOutOfRange(Invalid):
    """A tree cannot be planted before it was allocated or after today."""

    code = "planted-date-out-of-range"
    title = "Planting date out of range"


@dataclass(frozen=True)
class PlantingReport:
    """What a partner says about a tree they planted."""

    planted_on: date
    plot: str
    latitude: float
    longitude: float
    photo: bytes
    note: str = ""


def check_gps(latitude: float, longitude: float) -> tuple[int, int]:
    """The position in millionths of a degree, or GpsOutOfRange."""
    finite = math.isfinite(latitude) and math.isfinite(longitude)
    if not finite or not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise GpsOutOfRange(f"({latitude}, {longitude}) is not a position on Earth")
    return round(latitude * 1_000_000), round(longitude * 1_000_000)


async def partner_organisation_of(user_id: int) -> int:
    """The organisation a partner user reports for, or NotAttachedToPartner."""
    member = await PartnerMember.get_or_none(user_id=user_id)
    if member is None:
        raise NotAttachedToPartner()
    return member.organisation_id


async def _partners_planting(organisation_id: int, planting_id: int) -> Planting:
    planting = await Planting.filter(id=planting_id).prefetch_related("project").first()
    if planting is None:
        raise PlantingNotFound(f"no planting {planting_id}")
    if planting.project.organisation_id != organisation_id:
        raise PlantingOfAnotherPartner()
    return planting


async def report_planted(
    clock: Clock,
    events: EventSink,
    media_root: Path,
    limits: PhotoLimits,
    reporter_id: int,
    planting_id: int,
    report: PlantingReport,
) -> Planting:
    """A partner reports an allocated tree as planted; its owners are told."""
    organisation_id = await partner_organisation_of(reporter_id)
    latitude_e6, longitude_e6 = check_gps(report.latitude, report.longitude)
    planting = await _partners_planting(organisation_id, planting_id)
    if planting.status != PlantingStatus.ALLOCATED:
        raise WrongPlantingStatus(f"the tree is {planting.status} already")
    # Dates are the partner's local ones; a day's slack either side covers every time zone.
    earliest = planting.created_at.date() - timedelta(days=1)
    latest = clock.now().date() + timedelta(days=1)
    if not earliest <= report.planted_on <= latest:
        raise PlantedDateOutOfRange(f"the date must be between {earliest} and {latest}")
    cleaned, extension = await asyncio.to_thread(clean_photo, report.photo, limits)
    # Stored before the status changes; if the change loses a race, the file is just unused.
    name = await asyncio.to_thread(store_photo, media_root, PHOTO_FOLDER, cleaned, extension)
    change = StatusChange(
        PlantingStatus.PLANTED, PlantingStatus.ALLOCATED, reporter_id, report.note
    )
    async with in_transaction() as conn:
        await change_status(
            conn,
            clock,
            planting,
            change,
            planted_on=report.planted_on,
            plot=report.plot,
            latitude_e6=latitude_e6,
            longitude_e6=longitude_e6,
            photo=name,
        )
        await announce_status(conn, events, planting)
    return planting


async def partner_plantings(
    organisation_id: int, status: PlantingStatus | None, after_id: int | None, limit: int
) -> tuple[list[Planting], int | None]:
    """A page of the trees a partner's projects must plant or have planted, oldest first."""
    query = Planting.filter(project__organisation_id=organisation_id)
    if status is not None:
        query = query.filter(status=status)
    return await keyset_page(query, after_id, limit, newest_first=False, prefetch=["project"])
