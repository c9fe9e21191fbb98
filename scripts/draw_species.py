"""Draw the tree art and certificate templates in assets/ with Pillow primitives only.

Run `python -m scripts.draw_species` after changing the species catalog or a drawing; it rewrites
assets/species/<code>/stage<0-4>.png and assets/certificates/*.png. The drawings are seeded, so
running it again gives the same pictures.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

from core.assets import ASSETS

SIZE = 256
GROUND_Y = 214
STAGES = 5
Colour = tuple[int, int, int]

# Per drawing style: (foliage, accent, bark).
PALETTES: dict[str, tuple[Colour, Colour, Colour]] = {
    "shrub": ((122, 150, 96), (160, 180, 110), (122, 94, 66)),
    "willow": ((150, 176, 150), (196, 210, 180), (130, 100, 70)),
    "conifer": ((38, 98, 62), (60, 130, 80), (110, 74, 48)),
    "poplar": ((150, 176, 60), (226, 190, 60), (118, 90, 62)),
    "flowering_yellow": ((92, 138, 78), (240, 200, 40), (110, 86, 60)),
    "flowering_pink": ((104, 150, 96), (232, 120, 170), (120, 92, 64)),
    "tamarisk": ((150, 160, 120), (236, 150, 180), (168, 72, 56)),
    "berries": ((150, 170, 150), (245, 140, 30), (120, 96, 70)),
}


def _ground(draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse((36, GROUND_Y - 14, 220, GROUND_Y + 26), fill=(222, 196, 150))
    draw.ellipse((70, GROUND_Y - 8, 186, GROUND_Y + 10), fill=(204, 176, 128))


def _seed(draw: ImageDraw.ImageDraw, bark: Colour) -> None:
    draw.ellipse((116, GROUND_Y - 16, 140, GROUND_Y), fill=bark, outline=(80, 60, 40), width=2)
    draw.line((128, GROUND_Y - 14, 128, GROUND_Y - 22), fill=(110, 160, 80), width=3)


def _leaf(
    draw: ImageDraw.ImageDraw, x: float, y: float, angle: float, length: float, fill: Colour
) -> None:
    tip = (x + math.cos(angle) * length, y - math.sin(angle) * length)
    side = angle + math.pi / 2
    width = length / 3
    mid = (x + math.cos(angle) * length / 2, y - math.sin(angle) * length / 2)
    left = (mid[0] + math.cos(side) * width / 2, mid[1] - math.sin(side) * width / 2)
    right = (mid[0] - math.cos(side) * width / 2, mid[1] + math.sin(side) * width / 2)
    draw.polygon([(x, y), left, tip, right], fill=fill)


def _sprout(draw: ImageDraw.ImageDraw, foliage: Colour, height: float) -> None:
    top = GROUND_Y - height
    draw.line((128, GROUND_Y - 4, 128, top), fill=(96, 140, 70), width=4)
    _leaf(draw, 128, top + 4, math.radians(30), height * 0.6, foliage)
    _leaf(draw, 128, top + 4, math.radians(150), height * 0.6, foliage)


def _branches(
    draw: ImageDraw.ImageDraw, rng: random.Random, bark: Colour, height: float, count: int
) -> list[tuple[float, float]]:
    """Stems fanning out from the base; returns their tips."""
    tips = []
    for i in range(count):
        angle = math.radians(60 + 60 * (i + 0.5) / count + rng.uniform(-6, 6))
        reach = height * rng.uniform(0.75, 1.0)
        tip = (128 + math.cos(angle) * reach * 0.7, GROUND_Y - 6 - math.sin(angle) * reach)
        draw.line((128, GROUND_Y - 6, *tip), fill=bark, width=max(2, int(height / 40)))
        tips.append(tip)
    return tips


def _dots(
    draw: ImageDraw.ImageDraw, rng: random.Random, centres: list[tuple[float, float]],
    colour: Colour, radius: float, per_centre: int, spread: float,
) -> None:  # fmt: skip
    for cx, cy in centres:
        for _ in range(per_centre):
            x, y = cx + rng.uniform(-spread, spread), cy + rng.uniform(-spread, spread)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)


def _bush(
    draw: ImageDraw.ImageDraw, rng: random.Random, palette: tuple[Colour, Colour, Colour],
    height: float, flowers: bool,
) -> None:  # fmt: skip
    foliage, accent, bark = palette
    sparse = not flowers and palette is PALETTES["shrub"]
    tips = _branches(draw, rng, bark, height, (9 if sparse else 5) + int(height / 30))
    # Saxaul is leafless-looking: thin green twigs rather than a round crown.
    _dots(draw, rng, tips, foliage, height / (24 if sparse else 14), 6 if sparse else 9, height / 6)
    if flowers:
        _dots(draw, rng, tips, accent, max(2.5, height / 40), 4, height / 7)


def _willow(
    draw: ImageDraw.ImageDraw, rng: random.Random, palette: tuple[Colour, ...], height: float
) -> None:
    foliage, accent, bark = palette
    for tip in _branches(draw, rng, bark, height, 4 + int(height / 40)):
        for _ in range(6):
            angle = math.radians(rng.uniform(20, 160))
            _leaf(draw, tip[0], tip[1] + rng.uniform(0, 20), angle, height / 7, foliage)
        _leaf(draw, tip[0], tip[1], math.radians(90), height / 8, accent)


def _conifer(
    draw: ImageDraw.ImageDraw, palette: tuple[Colour, ...], height: float, cones: bool
) -> None:
    foliage, accent, bark = palette
    trunk_w = max(3, height / 18)
    draw.rectangle((128 - trunk_w, GROUND_Y - height * 0.3, 128 + trunk_w, GROUND_Y - 2), fill=bark)
    tiers = 3 if height < 120 else 4
    for i in range(tiers):
        base = GROUND_Y - height * 0.22 - i * height * 0.2
        half = height * (0.34 - i * 0.06)
        top = base - height * 0.32
        draw.polygon([(128 - half, base), (128 + half, base), (128, top)], fill=foliage)
        draw.line((128 - half * 0.6, base - 6, 128, top + 10), fill=accent, width=2)
    if cones:
        for x, y in ((104, GROUND_Y - height * 0.3), (150, GROUND_Y - height * 0.45)):
            draw.ellipse((x - 4, y - 6, x + 4, y + 6), fill=(140, 96, 56))


def _poplar(
    draw: ImageDraw.ImageDraw, rng: random.Random, palette: tuple[Colour, ...], height: float,
    golden: bool,
) -> None:  # fmt: skip
    foliage, accent, bark = palette
    trunk_w = max(3, height / 14)
    draw.polygon(
        [(128 - trunk_w, GROUND_Y - 2), (128 + trunk_w, GROUND_Y - 2),
         (132, GROUND_Y - height * 0.6), (124, GROUND_Y - height * 0.6)],
        fill=bark,
    )  # fmt: skip
    crown = (128, GROUND_Y - height * 0.68)
    radius = height * 0.34
    for _ in range(26):
        angle, dist = rng.uniform(0, math.tau), rng.uniform(0, radius * 0.8)
        x, y = crown[0] + math.cos(angle) * dist, crown[1] + math.sin(angle) * dist * 0.8
        r = radius * rng.uniform(0.25, 0.4)
        colour = accent if golden and rng.random() < 0.5 else foliage
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def draw_stage(style: str, stage: int, seed: int) -> Image.Image:
    """One species at one growth stage, on a transparent 256x256 canvas."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed * 10 + stage)
    palette = PALETTES[style]
    _ground(draw)
    if stage == 0:
        _seed(draw, palette[2])
        return image
    if stage == 1:
        _sprout(draw, palette[0], 34)
        return image
    height = {2: 80, 3: 125, 4: 160}[stage]
    mature = stage == 4
    painters: dict[str, Callable[[], None]] = {
        "shrub": lambda: _bush(draw, rng, palette, height, flowers=False),
        "flowering_yellow": lambda: _bush(draw, rng, palette, height, flowers=stage >= 3),
        "flowering_pink": lambda: _bush(draw, rng, palette, height, flowers=stage >= 3),
        "tamarisk": lambda: _bush(draw, rng, palette, height, flowers=stage >= 3),
        "berries": lambda: _bush(draw, rng, palette, height, flowers=mature),
        "willow": lambda: _willow(draw, rng, palette, height),
        "conifer": lambda: _conifer(draw, palette, height, cones=mature),
        "poplar": lambda: _poplar(draw, rng, palette, height, golden=mature),
    }
    painters[style]()
    return image


def draw_certificate_template(size: tuple[int, int], ink: Colour, band: Colour) -> Image.Image:
    """A certificate background: paper, a double border, a title band, leaves, a seal ring."""
    width, height = size
    image = Image.new("RGB", size, (250, 246, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((18, 18, width - 19, height - 19), outline=ink, width=6)
    draw.rectangle((32, 32, width - 33, height - 33), outline=band, width=2)
    draw.rectangle((33, 33, width - 34, 150), fill=band)
    rng = random.Random(width * 7 + height)
    for cx, cy, base in ((width - 60, height - 60, 135), (60, 60, -45), (width - 60, 60, -135)):
        for i in range(5):
            angle = math.radians(base + (i - 2) * 18)
            _leaf(draw, cx, cy, angle, 46 + rng.uniform(-6, 6), (98, 150, 90))
    seal = (width - 170, height - 170)
    draw.ellipse((seal[0] - 80, seal[1] - 80, seal[0] + 80, seal[1] + 80), outline=ink, width=5)
    draw.ellipse((seal[0] - 66, seal[1] - 66, seal[0] + 66, seal[1] + 66), outline=band, width=2)
    # The art panel on the left; the renderer pastes the species there.
    draw.rounded_rectangle(
        (60, 190, 380, 560), radius=18, fill=(238, 230, 206), outline=band, width=2
    )
    return image


def draw_card_template(size: tuple[int, int]) -> Image.Image:
    """A share card background: a sky gradient over dunes."""
    width, height = size
    image = Image.new("RGB", size, (0, 0, 0))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line((0, y, width, y), fill=(int(120 + 110 * t), int(190 + 40 * t), int(235 - 40 * t)))
    draw.ellipse((-200, height - 260, width * 0.7, height + 240), fill=(230, 200, 150))
    draw.ellipse((width * 0.35, height - 220, width + 260, height + 260), fill=(214, 182, 130))
    draw.ellipse((width - 170, 50, width - 70, 150), fill=(255, 236, 160))
    return image


def main() -> None:
    """Rewrite every stage picture and template under assets/."""
    catalog = json.loads((ASSETS / "species.json").read_text())
    for index, species in enumerate(catalog["species"]):
        folder = ASSETS / "species" / species["code"]
        folder.mkdir(parents=True, exist_ok=True)
        for stage in range(STAGES):
            image = draw_stage(species["art"], stage, seed=index + 1)
            image.save(folder / f"stage{stage}.png", optimize=True)
    templates = ASSETS / "certificates"
    templates.mkdir(parents=True, exist_ok=True)
    draw_certificate_template((1200, 850), (40, 84, 52), (150, 190, 120)).save(
        templates / "planting.png", optimize=True
    )
    draw_certificate_template((1200, 850), (120, 70, 30), (236, 170, 100)).save(
        templates / "donation.png", optimize=True
    )
    draw_card_template((800, 800)).save(templates / "card.png", optimize=True)
    print(f"drew {len(catalog['species'])} species x {STAGES} stages and 3 templates")


if __name__ == "__main__":
    main()
