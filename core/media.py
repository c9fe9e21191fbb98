"""Where uploaded media (check-in photos) are kept: a small interface and a filesystem default.

Names are opaque and unguessable (`<32 hex>.jpg`, `<32 hex>.thumb.jpg`) and their bytes never
change, so a store can be a folder, an object store or a CDN origin behind the same three calls.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

# What a stored name looks like; anything else is refused before touching the store.
MEDIA_NAME = re.compile(r"^[0-9a-f]{32}(\.thumb)?\.jpg$")


@runtime_checkable
class MediaStore(Protocol):
    """Keeps media bytes by name."""

    async def put(self, name: str, data: bytes) -> None:
        """Store bytes under a new name."""
        ...

    async def get(self, name: str) -> bytes | None:
        """The bytes stored under a name, or None."""
        ...

    async def delete(self, name: str) -> None:
        """Forget a name (no error if it is already gone)."""
        ...


class FileMediaStore:
    """Media as files under a folder (GREENSPARK_DATA_DIR/media), two levels of fan-out."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        if not MEDIA_NAME.match(name):
            raise ValueError(f"not a media name: {name!r}")
        return self.root / name[:2] / name

    def _write(self, name: str, data: bytes) -> None:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(temporary).replace(path)

    def _read(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None

    def _delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    async def put(self, name: str, data: bytes) -> None:
        """Store bytes under a new name."""
        await asyncio.to_thread(self._write, name, data)

    async def get(self, name: str) -> bytes | None:
        """The bytes stored under a name, or None."""
        if not MEDIA_NAME.match(name):
            return None
        return await asyncio.to_thread(self._read, name)

    async def delete(self, name: str) -> None:
        """Forget a name."""
        await asyncio.to_thread(self._delete, name)
