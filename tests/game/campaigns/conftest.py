"""Fixtures for campaign stories."""

from __future__ import annotations

import pytest

from tests.game.campaigns.stories import Campaigns
from tests.players import Players


@pytest.fixture
def campaigns(players: Players) -> Campaigns:
    """A campaign manager and the helpers to run campaigns through the API."""
    return Campaigns(players)
