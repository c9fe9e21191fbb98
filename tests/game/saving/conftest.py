"""Fixtures for power-saving stories."""

from __future__ import annotations

import pytest


@pytest.fixture
def settings(settings):
    """Crowds of households log in from one test address: lift the per-address login limit."""
    return settings.model_copy(update={"login_attempts_per_address": 10_000})
