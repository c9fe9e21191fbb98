"""Hooks: a domain announces a moment inside its transaction; other domains react in it.

The domain that owns the moment declares the hook and fires it; `app/domains.py` connects the
reactions of other domains, so that neither domain imports the other. Reactions run in order,
in the sender's transaction: if one fails, the whole change rolls back.

Written here rather than taken from a signals library: a hook needs exactly one typed payload,
strong references (a receiver must never vanish because nothing else held it) and awaited
receivers sharing the caller's connection, which is a dozen lines.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient

Payload = TypeVar("Payload")
Reaction = Callable[[BaseDBAsyncClient, Payload], Awaitable[None]]


class Hook(Generic[Payload]):
    """A named moment with the reactions connected to it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._reactions: list[Reaction[Payload]] = []

    def connect(self, reaction: Reaction[Payload]) -> None:
        """Add a reaction; connecting the same one twice keeps one."""
        if reaction not in self._reactions:
            self._reactions.append(reaction)

    async def fire(self, conn: BaseDBAsyncClient, payload: Payload) -> None:
        """Run every reaction in the caller's transaction."""
        for reaction in self._reactions:
            await reaction(conn, payload)


Result = TypeVar("Result")


class Contributions(Generic[Payload, Result]):
    """A named question every connected domain answers with its own part (a data export, say).

    Unlike a `Hook`, contributors run outside any transaction and return something; the asker
    gathers the parts in the order the contributors were connected.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._contributors: list[Callable[[Payload], Awaitable[Result]]] = []

    def connect(self, contributor: Callable[[Payload], Awaitable[Result]]) -> None:
        """Add a contributor; connecting the same one twice keeps one."""
        if contributor not in self._contributors:
            self._contributors.append(contributor)

    async def gather(self, payload: Payload) -> list[Result]:
        """Every contributor's part, in order."""
        return [await contributor(payload) for contributor in self._contributors]
