"""The command group and what every command shares: the database around a rule, users by name."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from app.db import close_database, migrate_database, open_database
from app.domains import connect_hooks
from core.errors import DomainError
from core.settings import Settings
from core.users import User

T = TypeVar("T")


@click.group()
def main() -> None:
    """Green Spark: green energy, bubbles, friends, trees and challenges."""


def with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` with the database open (migrated first when the server would be)."""

    async def run() -> T:
        connect_hooks()
        if settings.migrates_on_start:
            await migrate_database(settings.resolved_database_url)
        await open_database(settings.resolved_database_url)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


def run_rule(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Like `with_database`, turning a rule's refusal into a command-line error."""
    try:
        return with_database(settings, work)
    except DomainError as exc:
        raise click.ClickException(f"{exc.code}: {exc.detail}") from None


async def user_named(username: str) -> User:
    """The user with this name, or a command-line error."""
    user = await User.get_or_none(username=username.lower())
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user
