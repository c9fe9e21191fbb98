"""Certificates of plantings and donations: their facts, cached renders, verification by code."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

from app.auth.models import User
from game.errors import NotFound
from game.trees.donations import donation_facts
from game.trees.models import PartnerOrganisation, Planting, PlantingOwner, PlantingStatus
from game.trees.plantings import tree_number
from game.trees.render import CertificateFacts, render_certificate
from game.trees.species import SpeciesCatalog
from game.trees.welfare_models import Donation

# Bump when a drawing changes so cached renders of the old look are not served.
RENDER_VERSION = 1


class CertificateNotFound(NotFound):
    """No certificate has this verification code."""

    code = "certificate-not-found"
    title = "No certificate has this code"


class RenderCache:
    """Rendered images on disk under the data folder; any file can be deleted and is re-rendered."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def get_or_render(self, key: str, render: Callable[[], bytes]) -> tuple[bytes, bool]:
        """The cached PNG for `key`, or a fresh render stored under it; True when it was cached."""
        path = self.root / f"{key}.png"
        cached = await asyncio.to_thread(_read_if_exists, path)
        if cached is not None:
            return cached, True
        image = await asyncio.to_thread(render)
        await asyncio.to_thread(_write_atomically, path, image)
        return image, False


def _read_if_exists(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.{id(data)}.tmp")
    temporary.write_bytes(data)
    # Two renders of the same key write identical bytes, so whichever lands last is right.
    temporary.replace(path)


def facts_key(prefix: str, facts: object) -> str:
    """A cache key naming the object and a digest of everything drawn."""
    digest = hashlib.sha256(repr((RENDER_VERSION, astuple(facts))).encode()).hexdigest()  # type: ignore[call-overload]
    return f"{prefix}-{digest[:16]}"


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
    planting = await Planting.get_or_none(code=stored)
    if planting is not None:
        return "planting", certificate_facts(catalog, await planting_record(planting))
    donation = await Donation.filter(code=stored).prefetch_related("project", "user").first()
    if donation is not None:
        return "donation", donation_facts(catalog, donation)
    raise CertificateNotFound()
