"""Request and response shapes of protected areas, welfare projects and donations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from core.fields import Name, Place, Region
from game.trees.welfare.areas import AreaTotals
from game.trees.welfare.models import Adoption, Donation, WelfareProject

Text = Annotated[str, msgspec.Meta(max_length=400)]
Status = Annotated[str, msgspec.Meta(pattern=r"^(open|closed)$")]


class AreaIn(msgspec.Struct, forbid_unknown_fields=True):
    """A protected area to open for adoption."""

    name: Name
    place: Place
    steward: Name
    price_grams_per_m2: Annotated[int, msgspec.Meta(ge=1, le=10_000_000)]
    total_m2: Annotated[int, msgspec.Meta(ge=1, le=1_000_000_000)]
    region: Region = ""
    description: Text = ""


class StatusIn(msgspec.Struct, forbid_unknown_fields=True):
    """Open or close."""

    status: Status


class AreaOut(msgspec.Struct):
    """A protected area: price, square metres sold and left, adopters, and mine."""

    id: int
    name: str
    region: str
    place: str
    steward: str
    description: str
    price_grams_per_m2: int
    total_m2: int
    sold_m2: int
    remaining_m2: int
    status: str
    adopters: int
    mine_m2: int


def area_out(totals: AreaTotals) -> AreaOut:
    """Show an area with its totals."""
    area = totals.area
    return AreaOut(
        id=area.id,
        name=area.name,
        region=area.region,
        place=area.place,
        steward=area.steward,
        description=area.description,
        price_grams_per_m2=area.price_grams_per_m2,
        total_m2=area.total_m2,
        sold_m2=area.sold_m2,
        remaining_m2=area.remaining_m2,
        status=str(area.status),
        adopters=totals.adopters,
        mine_m2=totals.mine_m2,
    )


class AdoptIn(msgspec.Struct, forbid_unknown_fields=True):
    """How many square metres to adopt."""

    square_metres: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]


class AdoptionOut(msgspec.Struct):
    """One adoption."""

    id: int
    area_id: int
    square_metres: int
    grams: int
    created_at: datetime


def adoption_out(adoption: Adoption) -> AdoptionOut:
    """Show an adoption."""
    return msgspec.convert(adoption, AdoptionOut, from_attributes=True)


class MyAreaOut(msgspec.Struct):
    """What a player holds in one area."""

    area_id: int
    name: str
    square_metres: int
    grams: int


class MyAdoptionsOut(msgspec.Struct):
    """A player's protected land: per area and in total."""

    total_m2: int
    total_grams: int
    areas: list[MyAreaOut]


class WelfareIn(msgspec.Struct, forbid_unknown_fields=True):
    """A welfare project to open, optionally with a sponsor's matching budget in grams."""

    name: Name
    beneficiary: Name
    description: Text = ""
    sponsor: Annotated[str, msgspec.Meta(max_length=120)] = ""
    match_budget: Annotated[int, msgspec.Meta(ge=0, le=10**12)] = 0


class WelfareOut(msgspec.Struct):
    """A welfare project: energy raised and what is left of the sponsor's pool."""

    id: int
    name: str
    beneficiary: str
    description: str
    sponsor: str
    match_budget: int
    match_spent: int
    match_remaining: int
    raised: int
    status: str


def welfare_out(project: WelfareProject) -> WelfareOut:
    """Show a welfare project."""
    return WelfareOut(
        id=project.id,
        name=project.name,
        beneficiary=project.beneficiary,
        description=project.description,
        sponsor=project.sponsor,
        match_budget=project.match_budget,
        match_spent=project.match_spent,
        match_remaining=project.match_remaining,
        raised=project.raised,
        status=str(project.status),
    )


class DonateIn(msgspec.Struct, forbid_unknown_fields=True):
    """Energy to donate."""

    grams: Annotated[int, msgspec.Meta(ge=1, le=100_000_000)]


class DonationOut(msgspec.Struct):
    """A donation, what the sponsor matched, and its certificate."""

    id: int
    project_id: int
    grams: int
    matched: int
    verification_code: str
    certificate: str
    created_at: datetime


def donation_out(donation: Donation) -> DonationOut:
    """Show a donation."""
    return DonationOut(
        id=donation.id,
        project_id=donation.project_id,
        grams=donation.grams,
        matched=donation.matched,
        verification_code=donation.code,
        certificate=f"/api/v1/donations/{donation.id}/certificate.png",
        created_at=donation.created_at,
    )
