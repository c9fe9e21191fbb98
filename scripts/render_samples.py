"""Render the sample certificate, donation certificate and share card shown in the README.

Run `python -m scripts.render_samples`; it writes docs/images/*.png from fixed example facts with
the same drawing code the API uses.
"""

from __future__ import annotations

from pathlib import Path

from game.trees.render import CardFacts, CertificateFacts, render_card, render_certificate
from game.trees.species.catalog import load_species

DOCS = Path(__file__).resolve().parents[1] / "docs" / "images"


def main() -> None:
    """Write the three sample images."""
    catalog = load_species()
    saxaul = catalog.get("saxaul")
    DOCS.mkdir(parents=True, exist_ok=True)
    planting = CertificateFacts(
        title="Certificate of Tree Planting",
        names=("Ada", "Bo", "Chen"),
        headline="gave green energy for one real Saxaul tree.",
        rows=(
            ("Tree number", "GS-2026-0000042"),
            ("Project", "Alxa saxaul forest"),
            ("Planted by", "Alxa SEE Foundation"),
            ("Place", "Alxa Left Banner, Inner Mongolia, plot A-17"),
            ("Planted on", "2026-04-12"),
            ("Status", "verified"),
            ("GPS", "38.85210, 105.67380"),
        ),
        code="K7M2Q9XR4TWA",
        art=saxaul.stage_art(4),
        caption=saxaul.name,
        subcaption=saxaul.latin,
        seal="verified",
    )
    (DOCS / "certificate-sample.png").write_bytes(render_certificate(planting))
    donation = CertificateFacts(
        title="Certificate of Donation",
        names=("Ada",),
        headline="gave 600 g of green energy to public good.",
        rows=(
            ("Project", "Solar backpacks"),
            ("For", "Children in high-altitude schools"),
            ("Energy given", "600 g"),
            ("Matched by", "Green Sponsor Ltd: 600 g"),
            ("Date", "2026-06-10"),
        ),
        code="D4HN8PV3ZKQE",
        art=saxaul.stage_art(1),
        caption="Solar backpacks",
        subcaption="Children in high-altitude schools",
        seal="donated",
        template="donation.png",
    )
    (DOCS / "donation-certificate-sample.png").write_bytes(render_certificate(donation))
    card = CardFacts(
        name="Ada",
        art=catalog.get("mongolian_pine").stage_art(2),
        growing="Growing a Mongolian Scots pine: sapling (58%)",
        progress_permille=583,
        stats=(
            ("Real trees planted", "3"),
            ("Land protected", "12 sq m"),
            ("Energy donated", "600 g"),
            ("Energy gathered", "142,350 g"),
        ),
    )
    (DOCS / "forest-card-sample.png").write_bytes(render_card(card))
    print(f"wrote 3 samples to {DOCS}")


if __name__ == "__main__":
    main()
