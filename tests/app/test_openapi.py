"""The OpenAPI document: what clients are generated from changes only on purpose."""

from __future__ import annotations

import difflib

from scripts.openapi import REFERENCE, rendered, served_document


def test_the_served_document_is_the_committed_one():
    served = rendered(served_document()).decode().splitlines()
    committed = REFERENCE.read_text().splitlines()
    diff = "\n".join(difflib.unified_diff(committed, served, "docs/openapi.json", "served", n=1))
    assert not diff, f"the API surface changed; run python -m scripts.openapi\n{diff[:4000]}"
