"""HTTP endpoints for planting partners: the trees to plant, and reporting them planted."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.status_codes import HTTP_200_OK

from app.auth.middleware import requires_role
from app.auth.models import Role, User
from app.params import Cursor, Limit, RowId
from app.settings import Settings
from game.clock import Clock
from game.events import EventSink
from game.paging import decode_cursor, encode_cursor
from game.trees.media import UPLOAD_CEILING_BYTES, PhotoLimits
from game.trees.models import PlantingStatus
from game.trees.plantings import planting_history
from game.trees.reports import (
    PlantingReport,
    partner_organisation_of,
    partner_plantings,
    report_planted,
)
from game.trees.schemas import PlantingOut, PlantingPageOut, ReportForm, planting_out

StatusFilter = Annotated[
    Literal["allocated", "planted", "verified"] | None, Parameter(description="Only this status")
]


class PlantingPartnerController(Controller):
    """What a planting partner's staff see and report."""

    tags = ["trees: planting partners"]
    guards = [requires_role(Role.PLANTING_PARTNER)]

    @get("/api/v1/planting-partner/plantings", summary="Trees my organisation plants")
    async def list_assigned(
        self,
        request: Request[User, Any, Any],
        status: StatusFilter = None,
        cursor: Cursor = None,
        limit: Limit = 50,
    ) -> PlantingPageOut:
        """Plantings in my organisation's projects, oldest first, optionally by status."""
        organisation_id = await partner_organisation_of(request.user.id)
        wanted = PlantingStatus(status) if status else None
        rows, next_id = await partner_plantings(
            organisation_id, wanted, decode_cursor(cursor), limit
        )
        return PlantingPageOut(
            items=[planting_out(p) for p in rows], next_cursor=encode_cursor(next_id)
        )

    @post(
        "/api/v1/planting-partner/plantings/{planting_id:int}/report",
        status_code=HTTP_200_OK,
        summary="Report a tree as planted (multipart, with a photo)",
        request_max_body_size=UPLOAD_CEILING_BYTES,
    )
    async def report(
        self,
        request: Request[User, Any, Any],
        planting_id: RowId,
        data: Annotated[ReportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        settings: NamedDependency[Settings],
    ) -> PlantingOut:
        """Date, plot, GPS and a photo of the tree in the ground; the owners are told at once."""
        limits = PhotoLimits(settings.planting_photo_max_bytes, settings.planting_photo_max_pixels)
        report = PlantingReport(
            planted_on=data.planted_on,
            plot=data.plot,
            latitude=data.latitude,
            longitude=data.longitude,
            photo=await data.photo.read(),
            note=data.note,
        )
        planting = await report_planted(
            clock, events, settings.data_dir / "media", limits, request.user.id, planting_id, report
        )
        await planting.fetch_related("project")
        return planting_out(planting, await planting_history(planting.id))
