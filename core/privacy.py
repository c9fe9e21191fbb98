"""What a domain gets and gives when a player exports their data or has their account erased.

The privacy domain (app/privacy) asks; every domain that holds something about a player answers
with its own part and erases its own rows, connected in app/domains.py, so no domain reaches into
another's tables. What is kept and why: docs/reliability.md#privacy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from core.media import MediaStore

# The name every erased account gets, with its id: other players' timelines, certificates and
# leaderboards keep their rows and show this instead of a person.
ERASED_DISPLAY_NAME = "Deleted player"


@dataclass(frozen=True)
class ExportRequest:
    """A player asks for everything held about them."""

    user_id: int
    media: MediaStore


@dataclass(frozen=True)
class ExportPart:
    """One domain's part of an export: a named JSON section and files to put beside it."""

    section: str
    data: Any
    files: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Erasure:
    """An account whose grace period is over is being erased, inside one transaction."""

    user_id: int
    at: datetime
    # Where the player's files are: uploaded media, and cached renders under `cache_dir`.
    media: MediaStore
    cache_dir: Path


@dataclass(frozen=True)
class DeletionRequest:
    """A player asked to delete their account; it is erased after `erase_after`."""

    user_id: int
    at: datetime
    erase_after: datetime
