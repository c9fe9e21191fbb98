"""The methodology catalog: scenarios and their factors, read from assets/methodologies.json."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import orjson

from core.assets import ASSETS
from core.errors import Invalid


class UnknownScenario(Invalid):
    """The scenario code is not in the catalog."""

    code = "unknown-scenario"
    title = "Unknown scenario"


@dataclass(frozen=True)
class Scenario:
    """One way of avoiding carbon and how it is measured."""

    code: str
    name: str
    programme: str
    unit: str
    grams_per_unit: Decimal
    daily_cap: Decimal
    self_reportable: bool
    bubble: Literal["instant", "daily"]
    category: str
    source: str
    description: str


@dataclass(frozen=True)
class Catalog:
    """Every scenario by code."""

    scenarios: dict[str, Scenario]

    def get(self, code: str) -> Scenario:
        """The scenario with this code, or UnknownScenario."""
        try:
            return self.scenarios[code]
        except KeyError:
            raise UnknownScenario(f"no scenario is called {code!r}") from None

    def all(self) -> list[Scenario]:
        """Every scenario, in catalog order."""
        return list(self.scenarios.values())


def _scenario(raw: dict[str, object]) -> Scenario:
    factor = Decimal(str(raw["grams_per_unit"]))
    cap = Decimal(str(raw["daily_cap"]))
    bubble = raw["bubble"]
    if factor <= 0 or cap <= 0 or bubble not in ("instant", "daily"):
        raise ValueError(f"bad catalog entry {raw.get('code')!r}")
    return Scenario(
        code=str(raw["code"]),
        name=str(raw["name"]),
        programme=str(raw["programme"]),
        unit=str(raw["unit"]),
        grams_per_unit=factor,
        daily_cap=cap,
        self_reportable=bool(raw["self_reportable"]),
        bubble=bubble,
        category=str(raw["category"]),
        source=str(raw["source"]),
        description=str(raw["description"]),
    )


@lru_cache(maxsize=4)
def load_catalog(path: Path = ASSETS / "methodologies.json") -> Catalog:
    """Read and check the catalog file once."""
    document = orjson.loads(path.read_bytes())
    scenarios = [_scenario(raw) for raw in document["scenarios"]]
    by_code = {s.code: s for s in scenarios}
    if len(by_code) != len(scenarios):
        raise ValueError("duplicate scenario codes in the catalog")
    return Catalog(scenarios=by_code)
