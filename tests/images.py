"""Real image files made in the tests: photos with EXIF, rotated ones, bombs, broken files."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import ExifTags, Image

ORIENTATION = 0x0112


def patterned(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A picture of random coloured blocks: different seeds look different to a dHash."""
    rng = random.Random(seed)
    blocks = Image.new("RGB", (8, 6))
    blocks.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(48)])
    return blocks.resize(size, Image.Resampling.NEAREST)


def jpeg(image: Image.Image, exif: Image.Exif | None = None, quality: int = 90) -> bytes:
    """Encode as JPEG, with EXIF if given."""
    out = io.BytesIO()
    if exif is None:
        image.save(out, "JPEG", quality=quality)
    else:
        image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def encoded(image: Image.Image, fmt: str) -> bytes:
    """Encode in any format Pillow writes (PNG, WEBP, GIF …)."""
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def gps_exif() -> Image.Exif:
    """EXIF naming a camera and a GPS position (Shanghai), as phones write it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "GreenPhone"
    exif[ExifTags.Base.Model] = "GP-1"
    exif[ExifTags.Base.DateTime] = "2026:06:10 09:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 2.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 9.1)
    return exif


def sideways_jpeg() -> bytes:
    """Stored 400x200, red left half and blue right half, EXIF saying 'rotate 90° clockwise'.

    Shown upright it is 200x400 with red on top and blue below.
    """
    image = Image.new("RGB", (400, 200), (220, 20, 20))
    image.paste((20, 20, 220), (200, 0, 400, 200))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    return jpeg(image, exif)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 8000, height: int = 8000) -> bytes:
    """A genuine decompression bomb: ~60 KB of PNG that decodes to width x height pixels."""
    row = b"\x00" * (width + 1)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def opened(data: bytes) -> Image.Image:
    """Decode bytes for inspection."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
