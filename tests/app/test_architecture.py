"""docs/architecture.md's endpoint map lists every route with the rules it calls, as they are."""

from __future__ import annotations

from scripts.endpoints import BEGIN, DOC, END, table


def test_the_endpoint_map_is_current():
    text = DOC.read_text()
    committed = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert committed == table(), "run python -m scripts.endpoints --write"
