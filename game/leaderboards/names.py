"""Usernames and display names for board rows, cached in the process for a short while.

The same top rows are shown on every read of a board, so a small cache saves a database query
on most reads. A name may lag a change by `ttl` seconds; ranks and scores never lag.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import cast

from core.users import User

Name = tuple[str, str]


class NameCache:
    """A bounded least-recently-used map of user id to (username, display name)."""

    def __init__(self, size: int = 100_000, ttl: float = 60.0) -> None:
        self.size = size
        self.ttl = ttl
        self._entries: OrderedDict[int, tuple[float, Name]] = OrderedDict()

    async def names(self, user_ids: Iterable[int]) -> dict[int, Name]:
        """Names of these players; the ones not cached (or stale) in one query."""
        # Monotonic time, not the game clock: this is cache freshness, not a game rule.
        now, found, missing = time.monotonic(), {}, []
        for user_id in user_ids:
            entry = self._entries.get(user_id)
            if entry is not None and now - entry[0] < self.ttl:
                found[user_id] = entry[1]
                self._entries.move_to_end(user_id)
            else:
                missing.append(user_id)
        if missing:
            rows = await User.filter(id__in=missing).values_list("id", "username", "display_name")
            for user_id, username, display in cast(list[tuple[int, str, str]], rows):
                found[int(user_id)] = (str(username), str(display))
                self._remember(int(user_id), found[int(user_id)], now)
        return found

    def _remember(self, user_id: int, name: Name, now: float) -> None:
        self._entries[user_id] = (now, name)
        self._entries.move_to_end(user_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
