"""Database configuration and lifecycle (Tortoise ORM on SQLite or PostgreSQL)."""

from __future__ import annotations

import os
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate as run_migrations

from app.sqlite_backend import sqlite_connection

# Every module that defines models, in one Tortoise app so foreign keys cross domains freely.
MODEL_MODULES = [
    "core.users",
    "core.events",
    "app.auth.models",
    "app.idempotency",
    "app.privacy.models",
    "game.carbon.models",
    "game.energy.models",
    "game.forest.models",
    "game.props.models",
    "game.leaderboards.models",
    "social.friends.models",
    "social.timeline.models",
    "game.trees.species.models",
    "game.trees.projects.models",
    "game.trees.plantings.models",
    "game.trees.coplanting.models",
    "game.trees.welfare.models",
    "social.checkins.models",
    "social.moderation.models",
    "game.rewards.models",
    "game.campaigns.teams.models",
    "game.campaigns.lifecycle.models",
    "game.campaigns.progress.models",
    "game.power.models",
    "game.partners.platforms.models",
    "game.partners.consents.models",
    "game.partners.gate.models",
    "game.partners.ingest.models",
    "social.notifications.models",
    "game.store.models",
    "game.saving.events.models",
    "game.saving.bills.models",
    "game.recycling.models",
]
MIGRATIONS_MODULE = "app.migrations"


def _connection(url: str) -> str | dict[str, Any]:
    if url.startswith("sqlite://"):
        return sqlite_connection(url)
    if url.startswith(("postgres://", "postgresql://")):
        # asyncpg pool sized for bursts of concurrent value moves on a 2-core box.
        url = url.replace("postgresql://", "postgres://", 1)
        separator = "&" if "?" in url else "?"
        if "maxsize=" not in url:
            url += f"{separator}minsize=1&maxsize=20"
    return url


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The Tortoise configuration for a database URL."""
    return {
        "connections": {"default": _connection(database_url)},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def migrate_database(database_url: str) -> None:
    """Apply every pending migration, then leave Tortoise closed."""
    try:
        await run_migrations(config=tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()


async def open_database(database_url: str) -> None:
    """Initialise Tortoise for a running server or command."""
    # The global fallback lets request tasks, which do not inherit the lifespan's
    # context variables, reach the same connections.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    """Close every database connection."""
    await Tortoise.close_connections()


# For Tortoise's own CLI (`tortoise makemigrations`); the server builds its config from settings.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://:memory:"))
