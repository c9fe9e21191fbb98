"""Fixtures for reward stories: campaigns pay rewards, so their helpers are used here too."""

from __future__ import annotations

import pytest

from tests.game.campaigns.stories import Campaigns
from tests.players import Players


@pytest.fixture
def campaigns(players: Players) -> Campaigns:
    """A campaign manager and the helpers to run campaigns through the API."""
    return Campaigns(players)


@pytest.fixture
def settings(settings):
    """Crowds of players log in from one test address: lift the per-address login limit."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})
