"""The per-address login limit behind proxies: X-Forwarded-For counts only from trusted ones."""

from __future__ import annotations

import httpx

from tests.servers import Server, server_env


def _logins(server: Server, forwarded_for: list[str]) -> list[int]:
    """One failed login per address given in X-Forwarded-For; the status of each."""
    statuses = []
    for address in forwarded_for:
        response = httpx.post(
            f"{server.base}/api/v1/auth/login",
            json={"username": f"nobody{len(statuses)}", "password": "wrong password"},
            headers={"X-Forwarded-For": address},
        )
        statuses.append(response.status_code)
    return statuses


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings, app, tmp_path):
    rotating = [f"203.0.113.{n}" for n in range(1, 7)]
    env = server_env(settings, GREENSPARK_LOGIN_ATTEMPTS_PER_ADDRESS="3")
    direct = Server(env, tmp_path / "direct.log")
    try:
        # Nobody is trusted by default: a rotating header from loopback is still one address.
        assert _logins(direct, rotating) == [401, 401, 401, 429, 429, 429]
    finally:
        direct.stop()

    env = server_env(
        settings,
        GREENSPARK_LOGIN_ATTEMPTS_PER_ADDRESS="3",
        GREENSPARK_TRUSTED_PROXIES="127.0.0.1",
        GREENSPARK_REDIS_PREFIX=settings.redis_prefix + "proxied:",
    )
    proxied = Server(env, tmp_path / "proxied.log")
    try:
        # Behind a trusted load balancer each client has its own bucket...
        assert _logins(proxied, rotating) == [401] * 6
        # ...and one client is still limited, however the balancer spreads it.
        assert _logins(proxied, ["198.51.100.7"] * 4) == [401, 401, 401, 429]
    finally:
        proxied.stop()
