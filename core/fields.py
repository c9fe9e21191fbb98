"""Field types shared by request shapes: names, places, regions, ids."""

from __future__ import annotations

from typing import Annotated

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120, pattern=r"^\S(.*\S)?$")]


Region = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{0,32}$", examples=["CN-15"])]


Place = Annotated[str, msgspec.Meta(min_length=1, max_length=160, pattern=r"^\S(.*\S)?$")]


IdIn = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
