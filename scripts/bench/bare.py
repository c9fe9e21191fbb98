"""The framework's ceiling: a bare Litestar JSON endpoint, served by uvicorn like the app.

`uvicorn scripts.bench.bare:app` is the baseline every hot-path figure is a ratio of.
"""

from __future__ import annotations

from litestar import Litestar, get


@get("/hello")
async def hello() -> dict[str, str]:
    """A constant JSON document: no middleware, no database, no Redis."""
    return {"hello": "world"}


app = Litestar([hello])
