"""Write the served OpenAPI document to docs/openapi.json (the committed reference).

    .venv/bin/python -m scripts.openapi          # rewrite docs/openapi.json
    .venv/bin/python -m scripts.openapi --check  # exit 1 if it differs from the served one

tests/app/test_openapi.py runs the check, so a change to the API surface is always deliberate:
regenerate the file and commit it with the change.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson

from app.main import create_app
from core.settings import Settings

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def served_document() -> dict[str, Any]:
    """The OpenAPI document the app serves at /schema/openapi.json."""
    settings = Settings(secret_key="openapi-" * 6, data_dir=Path("/nonexistent-openapi-data"))
    document: dict[str, Any] = create_app(settings).openapi_schema.to_schema()
    return document


def rendered(document: dict[str, Any]) -> bytes:
    """Stable bytes: sorted keys, two-space indent, a final newline."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def main() -> int:
    """Write the reference, or with --check compare it with the served document."""
    current = rendered(served_document())
    if "--check" in sys.argv:
        if not REFERENCE.exists() or REFERENCE.read_bytes() != current:
            print(
                "docs/openapi.json differs from the served document; run python -m scripts.openapi"
            )
            return 1
        return 0
    REFERENCE.write_bytes(current)
    print(f"wrote {REFERENCE.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
