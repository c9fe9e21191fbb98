"""Pillow drawings of certificates and share cards, from the templates and art in assets/.

Pure functions from facts to PNG bytes; callers run them in a thread and cache the result.
Text uses Pillow's built-in font (no downloaded fonts), which covers Latin script.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.assets import ASSETS

TEMPLATES = ASSETS / "certificates"
INK = (34, 70, 44)
GREY = (96, 96, 90)
WHITE = (255, 255, 255)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=32)
def font(size: int) -> Font:
    """Pillow's built-in scalable font at a size."""
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=64)
def _template(path: Path) -> Image.Image:
    return Image.open(path).convert("RGB")


@lru_cache(maxsize=128)
def _art(path: Path, size: int) -> Image.Image:
    return Image.open(path).convert("RGBA").resize((size, size), Image.Resampling.LANCZOS)


def fitted(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> tuple[str, Font]:
    """The text at the largest size up to `size` that fits `width`, shortened if it never does."""
    for candidate in range(size, max(11, size // 2) - 1, -2):
        face = font(candidate)
        if draw.textlength(text, font=face) <= width:
            return text, face
    face = font(max(11, size // 2))
    while text and draw.textlength(text + "...", font=face) > width:
        text = text[:-1]
    return text + "...", face


def _text(
    draw: ImageDraw.ImageDraw, xy: tuple[int, int], text: str, size: int, width: int,
    fill: tuple[int, int, int] = INK, anchor: str = "la",
) -> None:  # fmt: skip
    shown, face = fitted(draw, text, size, width)
    draw.text(xy, shown, font=face, fill=fill, anchor=anchor)


def names_line(names: list[str], limit: int = 4) -> str:
    """'Ada', 'Ada and Bo', 'Ada, Bo and Chen', or 'Ada, Bo, Chen, Dara and 3 more'."""
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def encode_png(image: Image.Image) -> bytes:
    """PNG bytes of an image (the final step of every render)."""
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def _grouped(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class CertificateFacts:
    """Everything printed on a certificate; the render is a function of these alone."""

    title: str
    names: tuple[str, ...]
    headline: str
    rows: tuple[tuple[str, str], ...]
    code: str
    art: Path
    caption: str
    subcaption: str
    seal: str
    template: str = "planting.png"


def render_certificate(facts: CertificateFacts) -> bytes:
    """A 1200x850 certificate: title, art, names, details, seal and verification code."""
    image = _template(TEMPLATES / facts.template).copy()
    draw = ImageDraw.Draw(image)
    _text(draw, (600, 80), facts.title, 50, 1040, WHITE, "mm")
    _text(
        draw,
        (600, 128),
        "Green Spark: real trees and real good from green energy",
        20,
        1040,
        WHITE,
        "mm",
    )
    image.paste(_art(facts.art, 300), (70, 220), _art(facts.art, 300))
    _text(draw, (220, 590), facts.caption, 30, 320, INK, "mm")
    _text(draw, (220, 626), facts.subcaption, 20, 320, GREY, "mm")
    _text(draw, (420, 195), "This certifies that", 26, 700, GREY)
    _text(draw, (420, 235), names_line(list(facts.names)), 40, 720, INK)
    _text(draw, (420, 300), facts.headline, 26, 720, INK)
    y = 360
    for label, value in facts.rows:
        _text(draw, (420, y), label, 20, 170, GREY)
        _text(draw, (600, y - 2), value, 24, 540, INK)
        y += 44
    _text(draw, (60, 700), "Verification code", 20, 400, GREY)
    _text(draw, (60, 730), _grouped(facts.code), 36, 460, INK)
    _text(draw, (60, 780), f"Check it at /api/v1/certificates/{facts.code}", 18, 700, GREY)
    _text(draw, (1030, 664), "GREEN SPARK", 17, 120, INK, "mm")
    _text(draw, (1030, 698), facts.seal.upper(), 22, 130, INK, "mm")
    return encode_png(image)


@dataclass(frozen=True)
class CardFacts:
    """Everything shown on a forest share card."""

    name: str
    art: Path
    growing: str
    progress_permille: int
    stats: tuple[tuple[str, str], ...]


def render_card(facts: CardFacts) -> bytes:
    """An 800x800 share card of a player's forest: their tree, its growth and their totals."""
    image = _template(TEMPLATES / "card.png").copy()
    draw = ImageDraw.Draw(image)
    _text(draw, (400, 70), f"{facts.name}'s forest", 46, 700, INK, "mm")
    art = _art(facts.art, 340)
    image.paste(art, (230, 110), art)
    _text(draw, (400, 478), facts.growing, 28, 700, INK, "mm")
    left, right, top = 150, 650, 505
    draw.rounded_rectangle(
        (left, top, right, top + 22), radius=11, fill=(250, 246, 232), outline=INK
    )
    filled = left + (right - left) * max(0, min(1000, facts.progress_permille)) // 1000
    if filled > left + 4:
        draw.rounded_rectangle((left, top, filled, top + 22), radius=11, fill=(98, 150, 90))
    panel_top = 560
    draw.rounded_rectangle((90, panel_top, 710, 760), radius=20, fill=(250, 246, 232))
    y = panel_top + 22
    for label, value in facts.stats[:4]:
        _text(draw, (120, y), label, 24, 330, GREY)
        _text(draw, (680, y), value, 28, 260, INK, "ra")
        y += 44
    return encode_png(image)


# Bump when a drawing changes so cached renders of the old look are not served.
RENDER_VERSION = 1


# The folder of rendered images inside the data folder's cache folder.
RENDERS_FOLDER = "renders"


class RenderCache:
    """Rendered images on disk under the data folder; any file can be deleted and is re-rendered."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def in_cache_dir(cls, cache_dir: Path) -> RenderCache:
        """The render cache inside a data folder's cache folder."""
        return cls(cache_dir / RENDERS_FOLDER)

    async def forget(self, prefixes: Sequence[str]) -> int:
        """Delete every cached image whose key starts with one of `prefixes`; how many."""
        return await asyncio.to_thread(_delete_matching, self.root, tuple(prefixes))

    async def get_or_render(self, key: str, render: Callable[[], bytes]) -> tuple[bytes, bool]:
        """The cached PNG for `key`, or a fresh render stored under it; True when it was cached."""
        path = self.root / f"{key}.png"
        cached = await asyncio.to_thread(_read_if_exists, path)
        if cached is not None:
            return cached, True
        image = await asyncio.to_thread(render)
        await asyncio.to_thread(_write_atomically, path, image)
        return image, False


def _delete_matching(root: Path, prefixes: tuple[str, ...]) -> int:
    if not prefixes or not root.is_dir():
        return 0
    gone = 0
    for path in root.iterdir():
        if path.name.startswith(prefixes):
            path.unlink(missing_ok=True)
            gone += 1
    return gone


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
