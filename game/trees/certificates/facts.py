"""Certificates of plantings and donations: their facts, cached renders, verification by code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import NotFound
from core.ids import CODE_ALPHABET, CODE_LENGTH
from core.users import User
from game.trees.plantings.models import Planting, PlantingOwner, PlantingStatus, tree_number
from game.trees.projects.models import PartnerOrganisation
from game.trees.render import CertificateFacts, RenderCache, facts_key, render_certificate
from game.trees.species.catalog import SpeciesCatalog
from game.trees.welfare.models import Donation


class CertificateNotFound(NotFound):
    """No certificate has this verification code."""

    code = "certificate-not-found"
    title = "No certificate has this code"


def is_certificate_code(code: str) -> bool:
    """True when a normalised code has the length and alphabet of the codes we issue."""
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def normalise_code(code: str) -> str:
    """A code as typed (any case, with dashes or spaces) in its stored form."""
    return re.sub(r"[\s-]", "", code).upper()


@dataclass(frozen=True)
class PlantingRecord:
    """A planting with what a certificate says about it."""

    planting: Planting
    names: list[str]
    partner: str


async def planting_record(planting: Planting) -> PlantingRecord:
    """Load the owners' names and the partner of a planting."""
    await planting.fetch_related("project")
    owners = await PlantingOwner.filter(planting_id=planting.id).order_by("id")
    users = {u.id: u for u in await User.filter(id__in=[o.user_id for o in owners])}
    names = [users[o.user_id].display_name for o in owners if o.user_id in users]
    partner = await PartnerOrganisation.get(id=planting.project.organisation_id)
    return PlantingRecord(planting=planting, names=names, partner=partner.name)


def gps_text(planting: Planting) -> str:
    """Latitude and longitude in degrees, or an empty string before the tree is planted."""
    if planting.latitude_e6 is None or planting.longitude_e6 is None:
        return ""
    return f"{planting.latitude_e6 / 1e6:.5f}, {planting.longitude_e6 / 1e6:.5f}"


def certificate_facts(catalog: SpeciesCatalog, record: PlantingRecord) -> CertificateFacts:
    """What a planting's certificate shows at its current status."""
    planting = record.planting
    species = catalog.get(planting.species)
    planted = planting.status != PlantingStatus.ALLOCATED
    place = planting.project.place + (f", plot {planting.plot}" if planting.plot else "")
    date = planting.planted_on.isoformat() if planting.planted_on else "to be planted"
    rows = [
        ("Tree number", tree_number(planting)),
        ("Project", planting.project.name),
        ("Planted by", record.partner),
        ("Place", place),
        (
            "Planted on" if planted else "Allocated on",
            date if planted else planting.created_at.date().isoformat(),
        ),
        ("Status", str(planting.status)),
    ]
    if gps_text(planting):
        rows.append(("GPS", gps_text(planting)))
    return CertificateFacts(
        title="Certificate of Tree Planting",
        names=tuple(record.names),
        headline=f"gave green energy for one real {species.name} tree.",
        rows=tuple(rows),
        code=planting.code,
        art=species.stage_art(len(catalog.stages) - 1),
        caption=species.name,
        subcaption=species.latin,
        seal=str(planting.status),
    )


async def planting_certificate(
    cache: RenderCache, catalog: SpeciesCatalog, planting: Planting
) -> tuple[bytes, bool]:
    """The certificate PNG of a planting, rendered once per status version and content."""
    facts = certificate_facts(catalog, await planting_record(planting))
    key = facts_key(f"planting-{planting.id}-v{planting.version}", facts)
    return await cache.get_or_render(key, lambda: render_certificate(facts))


async def donation_certificate(
    cache: RenderCache, catalog: SpeciesCatalog, donation: Donation
) -> tuple[bytes, bool]:
    """The certificate PNG of a donation (with its project and donor fetched)."""
    facts = donation_facts(catalog, donation)
    key = facts_key(f"donation-{donation.id}", facts)
    return await cache.get_or_render(key, lambda: render_certificate(facts))


async def certificate_by_code(catalog: SpeciesCatalog, code: str) -> tuple[str, CertificateFacts]:
    """What the planting or donation certificate with this code states today."""
    stored = normalise_code(code)
    if not is_certificate_code(stored):
        # Not a code this service ever issues: no need to ask the database.
        raise CertificateNotFound()
    planting = await Planting.get_or_none(code=stored)
    if planting is not None:
        return "planting", certificate_facts(catalog, await planting_record(planting))
    donation = await Donation.filter(code=stored).prefetch_related("project", "user").first()
    if donation is not None:
        return "donation", donation_facts(catalog, donation)
    raise CertificateNotFound()


def donation_facts(catalog: SpeciesCatalog, donation: Donation) -> CertificateFacts:
    """What a donation certificate shows (donation with project and user fetched)."""
    project = donation.project
    rows = [
        ("Project", project.name),
        ("For", project.beneficiary),
        ("Energy given", f"{donation.grams:,} g"),
        ("Date", donation.created_at.date().isoformat()),
    ]
    if donation.matched:
        rows.insert(3, ("Matched by", f"{project.sponsor}: {donation.matched:,} g"))
    species = catalog.species[catalog.default_code]
    return CertificateFacts(
        title="Certificate of Donation",
        names=(donation.user.display_name,),
        headline=f"gave {donation.grams:,} g of green energy to public good.",
        rows=tuple(rows),
        code=donation.code,
        art=species.stage_art(1),
        caption=project.name,
        subcaption=project.beneficiary,
        seal="donated",
        template="donation.png",
    )
