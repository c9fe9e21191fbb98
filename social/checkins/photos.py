"""The photo pipeline: check, decode safely, make upright, strip, re-encode, hash.

Everything here is plain synchronous Pillow work; callers run it in a thread so the event loop
keeps serving other requests while a 12-megapixel JPEG is decoded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import Invalid

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
DISPLAY_EDGE = 1280
THUMB_EDGE = 320
DISPLAY_QUALITY = 85
THUMB_QUALITY = 80
# Two photos whose 64-bit difference hashes differ in at most this many bits look the same.
REPOST_DISTANCE = 5


class PhotoTooLarge(Invalid):
    """The photo is over the byte or pixel limit (a decompression bomb lands here too)."""

    code = "photo-too-large"
    title = "The photo is too large"


class PhotoFormatNotAllowed(Invalid):
    """The file is not a JPEG, PNG or WebP image, whatever its name says."""

    code = "photo-format-not-allowed"
    title = "Photos must be JPEG, PNG or WebP images"


class PhotoDamaged(Invalid):
    """The image is truncated or corrupt and cannot be decoded."""

    code = "photo-damaged"
    title = "The photo cannot be read"


@dataclass(frozen=True)
class PhotoLimits:
    """How big an upload may be, in bytes and in decoded pixels."""

    max_bytes: int
    max_pixels: int


@dataclass(frozen=True)
class ProcessedPhoto:
    """A cleaned photo: the display and thumbnail JPEGs, their sizes and a perceptual hash."""

    display: bytes
    thumb: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int
    dhash: int
    source_format: str


def _flatten(image: Image.Image) -> Image.Image:
    """RGB without transparency: alpha is laid over white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int) -> bytes:
    # No exif, icc_profile or comment is passed, and info is emptied so none is carried over.
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def _scaled(image: Image.Image, edge: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
    return copy


def difference_hash(image: Image.Image) -> int:
    """A 64-bit dHash: one bit per neighbouring pair in a 9x8 greyscale copy, as a signed int."""
    small = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            left, right = pixels[row * 9 + col], pixels[row * 9 + col + 1]
            bits = (bits << 1) | (left > right)
    # Stored in a signed BIGINT column.
    return bits - (1 << 64) if bits >= 1 << 63 else bits


def hash_distance(a: int, b: int) -> int:
    """How many of the 64 bits differ between two difference hashes."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def _decode(data: bytes, limits: PhotoLimits) -> tuple[Image.Image, str]:
    image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    width, height = image.size
    # Checked from the header, before a single pixel is decoded: this is what stops bombs.
    if width * height > limits.max_pixels:
        raise PhotoTooLarge(
            f"the photo has {width}x{height} pixels, more than {limits.max_pixels}",
            max_pixels=limits.max_pixels,
        )
    source_format = str(image.format)
    # JPEG can decode at 1/2, 1/4 or 1/8 scale directly; never below the display size.
    image.draft("RGB", (DISPLAY_EDGE, DISPLAY_EDGE))
    image.load()
    return image, source_format


def process_photo(data: bytes, limits: PhotoLimits) -> ProcessedPhoto:
    """Turn uploaded bytes into a clean display JPEG and thumbnail, or refuse them."""
    if len(data) > limits.max_bytes:
        raise PhotoTooLarge(
            f"the photo is over {limits.max_bytes} bytes", max_bytes=limits.max_bytes
        )
    try:
        image, source_format = _decode(data, limits)
        upright = ImageOps.exif_transpose(image)
        flat = _flatten(upright)
    except PhotoTooLarge:
        raise
    except UnidentifiedImageError:
        raise PhotoFormatNotAllowed() from None
    except Image.DecompressionBombError:
        raise PhotoTooLarge("the photo decodes to too many pixels") from None
    except Exception:
        # Truncated data, broken chunks, malformed EXIF: Pillow raises many kinds of error.
        raise PhotoDamaged("the image is truncated or corrupt") from None
    display = _scaled(flat, DISPLAY_EDGE)
    thumb = _scaled(display, THUMB_EDGE)
    return ProcessedPhoto(
        display=_encode(display, DISPLAY_QUALITY),
        thumb=_encode(thumb, THUMB_QUALITY),
        width=display.width,
        height=display.height,
        thumb_width=thumb.width,
        thumb_height=thumb.height,
        dhash=difference_hash(display),
        source_format=source_format,
    )
