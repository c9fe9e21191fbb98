"""HTTP endpoints of plantings: applying, my plantings, partners' reports, verification."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from core.clock import Clock
from core.events import EventSink
from core.guards import requires_role
from core.paging import decode_cursor, encode_cursor
from core.params import Cursor, Limit, RowId
from core.responses import IMAGE_HEADERS
from core.settings import Settings
from core.users import Role, User
from game.trees.plantings.applying import apply_to_plant
from game.trees.plantings.models import PlantingStatus
from game.trees.plantings.owners import my_plantings, visible_planting
from game.trees.plantings.photos import UPLOAD_CEILING_BYTES, PhotoLimits, read_photo
from game.trees.plantings.reports import (
    PHOTO_FOLDER,
    PlantingReport,
    partner_organisation_of,
    partner_plantings,
    report_planted,
)
from game.trees.plantings.schemas import (
    PlantIn,
    PlantingOut,
    PlantingPageOut,
    ReportForm,
    VerifyIn,
    planting_out,
)
from game.trees.plantings.status import planting_history, verify_planting
from game.trees.species.catalog import SpeciesCatalog

StatusFilter = Annotated[
    Literal["allocated", "planted", "verified"] | None, Parameter(description="Only this status")
]
PARTNERS = [requires_role(Role.PLANTING_PARTNER)]
ADMINS = [requires_role()]
PLAYERS_TAG, STAFF_TAG, PARTNERS_TAG = ["trees"], ["trees: staff"], ["trees: planting partners"]


class PlantingsController(Controller):
    """Real trees: players apply and follow them, partners report them, admins verify them."""

    @post(
        "/api/v1/plantings",
        status_code=HTTP_201_CREATED,
        summary="Apply to plant a real tree",
        opt={"idempotent": True},
        tags=PLAYERS_TAG,
    )
    async def plant(
        self,
        request: Request[User, Any, Any],
        data: JSONBody[PlantIn],
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        species_catalog: NamedDependency[SpeciesCatalog],
    ) -> PlantingOut:
        """Spend the species' cost and get a tree allocated from a project with quota left."""
        planting = await apply_to_plant(
            clock, events, species_catalog, request.user.id, data.species, data.project_id
        )
        await planting.fetch_related("project")
        return planting_out(planting, await planting_history(planting.id))

    @get("/api/v1/plantings", summary="My plantings", tags=PLAYERS_TAG)
    async def list_plantings(
        self, request: Request[User, Any, Any], cursor: Cursor = None, limit: Limit = 20
    ) -> PlantingPageOut:
        """Trees I am named on (alone or co-planted), newest first."""
        rows, next_id = await my_plantings(request.user.id, decode_cursor(cursor), limit)
        return PlantingPageOut(
            items=[planting_out(p) for p in rows], next_cursor=encode_cursor(next_id)
        )

    @get(
        "/api/v1/plantings/{planting_id:int}",
        summary="One planting and its history",
        tags=PLAYERS_TAG,
    )
    async def get_planting(
        self, request: Request[User, Any, Any], planting_id: RowId
    ) -> PlantingOut:
        """A planting I am named on (or report or oversee), with every status it has had."""
        planting = await visible_planting(request.user, planting_id)
        return planting_out(planting, await planting_history(planting.id))

    @get(
        "/api/v1/plantings/{planting_id:int}/photo",
        summary="The partner's photo of a planted tree",
        media_type="image/jpeg",
        tags=PLAYERS_TAG,
    )
    async def photo(
        self,
        request: Request[User, Any, Any],
        planting_id: RowId,
        settings: NamedDependency[Settings],
    ) -> Response[bytes]:
        """The photo the partner sent, re-encoded without its metadata."""
        planting = await visible_planting(request.user, planting_id)
        image, media_type = await asyncio.to_thread(
            read_photo, settings.data_dir / "media", PHOTO_FOLDER, planting.photo
        )
        return Response(image, media_type=media_type, headers=IMAGE_HEADERS)

    @post(
        "/api/v1/plantings/{planting_id:int}/verify",
        guards=ADMINS,
        status_code=HTTP_200_OK,
        summary="Verify a reported planting",
        tags=STAFF_TAG,
    )
    async def verify(
        self,
        request: Request[User, Any, Any],
        planting_id: RowId,
        clock: NamedDependency[Clock],
        events: NamedDependency[EventSink],
        data: JSONBody[VerifyIn | None] = None,
    ) -> PlantingOut:
        """Admins confirm a planting the partner reported as planted."""
        note = data.note if data else ""
        planting = await verify_planting(clock, events, request.user.id, planting_id, note)
        await planting.fetch_related("project")
        return planting_out(planting, await planting_history(planting.id))

    @get(
        "/api/v1/planting-partner/plantings",
        guards=PARTNERS,
        summary="Trees my organisation plants",
        tags=PARTNERS_TAG,
    )
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
        guards=PARTNERS,
        status_code=HTTP_200_OK,
        summary="Report a tree as planted (multipart, with a photo)",
        request_max_body_size=UPLOAD_CEILING_BYTES,
        tags=PARTNERS_TAG,
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
