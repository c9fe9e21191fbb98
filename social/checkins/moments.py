"""What check-ins announce to other domains: a check-in was posted.

Campaigns count "check-ins under a topic" from this hook (connected in app/domains.py); it is
one of the few `social` modules that `game` may import (see the contracts in pyproject.toml),
so it holds the hook and its payload and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.hooks import Hook


@dataclass(frozen=True)
class CheckinPosted:
    """A new check-in; `visible` is False when the banned-words filter held it for review."""

    checkin_id: int
    author_id: int
    topic: str
    visible: bool
    posted_at: datetime


checkin_posted: Hook[CheckinPosted] = Hook("checkin.posted")
