"""Where the data and art files live: the `assets/` folder at the top of the repository."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "assets"
