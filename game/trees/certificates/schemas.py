"""Response shape of a certificate looked up by its code."""

from __future__ import annotations

import msgspec


class CertificateOut(msgspec.Struct):
    """What a certificate states, for anyone holding its code."""

    kind: str
    code: str
    title: str
    names: list[str]
    headline: str
    details: list[tuple[str, str]]
