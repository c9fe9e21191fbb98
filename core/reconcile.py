"""Conservation checks: SQL that must find nothing, and totals that must agree.

Each domain that holds value declares its `Checks`; `greenspark reconcile` runs every domain's
(the list is in app/domains.py) and exits non-zero on any mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

_SHOWN_ROWS = 5


@dataclass(frozen=True)
class Mismatch:
    """One broken invariant, with the rows that break it."""

    check: str
    detail: str


@dataclass(frozen=True)
class Checks:
    """A domain's checks: queries that must return no row, and pairs of totals that must agree.

    A total query returns one row with a column named `total`.
    """

    rows: Mapping[str, str] = field(default_factory=dict)
    totals: Mapping[str, tuple[str, str]] = field(default_factory=dict)


async def run_checks(every: Iterable[Checks]) -> list[Mismatch]:
    """Run the checks; an empty list means everything is accounted for."""
    conn = connections.get("default")
    found: list[Mismatch] = []
    for checks in every:
        for name, sql in checks.rows.items():
            rows: list[dict[str, Any]] = await conn.execute_query_dict(sql)
            if rows:
                shown = ", ".join(str(dict(r)) for r in rows[:_SHOWN_ROWS])
                found.append(Mismatch(name, f"{len(rows)} row(s): {shown}"))
        for name, (left_sql, right_sql) in checks.totals.items():
            left = int((await conn.execute_query_dict(left_sql))[0]["total"])
            right = int((await conn.execute_query_dict(right_sql))[0]["total"])
            if left != right:
                found.append(Mismatch(name, f"{left} <> {right}"))
    return found
