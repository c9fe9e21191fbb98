"""Fixtures for store stories."""

from __future__ import annotations

import pytest

from tests.game.store.stories import Store
from tests.players import Players


@pytest.fixture
def store(players: Players) -> Store:
    """Stocks the store and registers merchants through the API."""
    return Store(players)


@pytest.fixture
def settings(settings):
    """Crowds of players log in from one test address: lift the per-address login limit."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})
