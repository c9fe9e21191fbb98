"""Responses that several controllers share: private images."""

from __future__ import annotations

from litestar import Response

# Images are private to who may see them; nosniff stops a browser guessing another type.
IMAGE_HEADERS = {"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"}


def png_response(image: bytes, cached: bool | None = None) -> Response[bytes]:
    """An image response with private caching; `cached` says whether the render was reused."""
    headers = dict(IMAGE_HEADERS)
    if cached is not None:
        headers["X-Render-Cache"] = "hit" if cached else "miss"
    return Response(image, media_type="image/png", headers=headers)
