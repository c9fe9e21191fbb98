"""Requests that used to crash the server: every one is a 4xx problem now (docs/reliability.md)."""

from __future__ import annotations

import httpx

from app.main import create_app, lifespan

GUARDED = [
    "/api/v1/moderation/queue",
    "/api/v1/moderation/actions",
    "/api/v1/moderation/audit",
    "/api/v1/planting-partner/plantings",
    "/api/v1/planting-partner/plantings/1/report",
    "/api/v1/admin/planting-partners",
    "/api/v1/me",
]


async def test_deeply_nested_json_is_a_400(client, players):
    ada = await players.new()
    nested = b"[" * 100_000
    for path, headers in (("/api/v1/auth/login", {}), ("/api/v1/actions", ada.headers)):
        response = await client.post(
            path, content=nested, headers={**headers, "content-type": "application/json"}
        )
        assert response.status_code == 400, response.text
        assert response.json()["type"] == "/problems/validation-failed"


async def test_options_on_guarded_routes_never_fail(client, players):
    ada = await players.new()
    for path in GUARDED:
        for headers in ({}, ada.headers, {"Authorization": "Bearer forged"}):
            response = await client.options(path, headers=headers)
            assert response.status_code == 204, (path, response.text)
            assert "OPTIONS" in response.headers["allow"]


async def test_cors_preflight_from_a_listed_origin(settings, clock):
    """With GREENSPARK_CORS_ORIGINS set, a browser's preflight to a guarded route succeeds."""
    app = create_app(settings.model_copy(update={"cors_origins": ("https://app.example",)}), clock)
    async with lifespan(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            preflight = {
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, idempotency-key",
            }
            for path in GUARDED:
                response = await http.options(path, headers=preflight)
                assert response.status_code in (200, 204), (path, response.text)
                assert response.headers["access-control-allow-origin"] == "https://app.example"
            stranger = await http.options(
                GUARDED[0], headers={**preflight, "Origin": "https://evil.example"}
            )
            assert stranger.headers.get("access-control-allow-origin") != "https://evil.example"
            assert stranger.status_code < 500
