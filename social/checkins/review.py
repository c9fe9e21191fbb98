"""What check-ins tell the moderators: new content an automatic check flagged, content deleted.

Moderation reacts to these hooks (connected in app/wiring.py) by opening review cases and by
dropping the cases and reports of deleted content, in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from core.hooks import Hook

ContentKind = Literal["checkin", "comment"]


@dataclass(frozen=True)
class FlaggedContent:
    """New content held or marked by an automatic check (banned words, a reposted photo)."""

    kind: ContentKind
    target_id: int
    author_id: int
    flags: Sequence[str]
    at: datetime


@dataclass(frozen=True)
class DeletedContent:
    """Content its author deleted."""

    kind: ContentKind
    ids: Sequence[int]


content_flagged: Hook[FlaggedContent] = Hook("content.flagged")
content_deleted: Hook[DeletedContent] = Hook("content.deleted")
