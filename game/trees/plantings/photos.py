"""Photos from planting partners: checked with Pillow, turned upright, stripped of EXIF, stored.

Only real JPEG, PNG and WebP images within the byte and pixel limits get through. Every photo is
re-encoded, so EXIF (GPS, camera, owner) and any trailing bytes are gone from what is stored.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import Invalid, NotFound

# Pillow format name: (file extension, media type).
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
MEDIA_TYPES = {extension: media for extension, media in FORMATS.values()}
# The largest request body a photo upload may have, whatever the settings say.
UPLOAD_CEILING_BYTES = 16 * 1024 * 1024


class InvalidPhoto(Invalid):
    """The upload is not a JPEG, PNG or WebP image Pillow can read."""

    code = "invalid-photo"
    title = "The photo must be a JPEG, PNG or WebP image"


class PhotoTooLarge(Invalid):
    """The photo is over the byte or pixel limit."""

    code = "photo-too-large"
    title = "The photo is too large"


class PhotoNotFound(NotFound):
    """There is no photo for this."""

    code = "photo-not-found"
    title = "No photo"


@dataclass(frozen=True)
class PhotoLimits:
    """How big a photo may be, in bytes as uploaded and in pixels once decoded."""

    max_bytes: int
    max_pixels: int


def clean_photo(raw: bytes, limits: PhotoLimits) -> tuple[bytes, str]:
    """The photo re-encoded upright without metadata, and its file extension."""
    if not raw:
        raise InvalidPhoto("the photo is empty")
    if len(raw) > limits.max_bytes:
        raise PhotoTooLarge(
            f"the photo is over {limits.max_bytes} bytes", max_bytes=limits.max_bytes
        )
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format or ""
            if kind not in FORMATS:
                raise InvalidPhoto(f"{kind or 'this format'} is not accepted")
            # Checked before decoding, so a decompression bomb is never expanded.
            if probe.width * probe.height > limits.max_pixels:
                raise PhotoTooLarge(
                    f"the photo is over {limits.max_pixels} pixels", max_pixels=limits.max_pixels
                )
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            return _encode(upright, kind), FORMATS[kind][0]
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise InvalidPhoto("the photo could not be read as an image") from None


def _encode(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    # No exif= or pnginfo= argument is passed, so nothing of the original metadata is written.
    if kind == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif kind == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        mode = "RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB"
        image.convert(mode).save(out, "WEBP", quality=88)
    return out.getvalue()


def store_photo(root: Path, folder: str, data: bytes, extension: str) -> str:
    """Keep a cleaned photo under root/folder, named by its content; returns the name."""
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.{extension}"
    path = root / folder / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    return name


def read_photo(root: Path, folder: str, name: str) -> tuple[bytes, str]:
    """A stored photo and its media type."""
    extension = name.rpartition(".")[2]
    path = root / folder / name
    if not name or extension not in MEDIA_TYPES or not path.is_file():
        raise PhotoNotFound()
    return path.read_bytes(), MEDIA_TYPES[extension]
