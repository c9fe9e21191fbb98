"""Schema fuzzing: schemathesis generates requests from the served OpenAPI document and sends them
to a real server on loopback, as a player and as an admin. Every answer must be documented for
its operation, and none may be a server error (docs/reliability.md, "The OpenAPI document and
schema fuzzing").

Bounded: a few examples per operation and per phase, so the whole run takes well under a minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from core.users import Role, User
from tests.players import PASSWORD
from tests.servers import Server, server_env

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# Operations that would end the fuzzer's own session half-way (it then sees only 401s).
SESSION_ENDERS = ("ApiV1MeDeleteAccount", "ApiV1AuthLogoutLogout")
# CI keeps one seed so that a run is reproducible; a longer hunt sets another seed and more
# examples per operation (docs/reliability.md, "The OpenAPI document and schema fuzzing").
SEED = os.environ.get("GREENSPARK_FUZZ_SEED", "20261126")
SCALE = int(os.environ.get("GREENSPARK_FUZZ_SCALE", "1"))


def _fuzz(server: Server, token: str, examples: int, report: Path) -> subprocess.CompletedProcess:
    command = [
        str(SCHEMATHESIS), "run", f"{server.base}/schema/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance",
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(examples * SCALE), "--workers", "2", "--seed", SEED,
        "--generation-database", "none", "--generation-with-security-parameters", "false",
        "--request-timeout", "30", "--no-color", "--suppress-health-check", "all",
    ]  # fmt: skip
    for operation in SESSION_ENDERS:
        command += ["--exclude-operation-id", operation]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=report)
    return result


@pytest.fixture
def settings(settings):
    """Posting limits would only add 429s (documented) to the fuzzer's writes."""
    return settings.model_copy(update={"login_attempts_per_address": 100_000})


async def test_fuzzing_the_served_schema_finds_no_server_error(settings, app, client, tmp_path):
    env = server_env(
        settings,
        GREENSPARK_CHECKINS_PER_WINDOW="100000",
        GREENSPARK_COMMENTS_PER_WINDOW="100000",
    )
    server = Server(env, tmp_path / "server.log")
    try:
        async with httpx.AsyncClient(base_url=server.base, timeout=30) as http:
            tokens = {}
            for name in ("fuzz_player", "fuzz_admin"):
                made = await http.post(
                    "/api/v1/auth/register", json={"username": name, "password": PASSWORD}
                )
                assert made.status_code == 201, made.text
                if name == "fuzz_admin":
                    await User.filter(id=made.json()["id"]).update(role=Role.ADMIN)
                login = await http.post(
                    "/api/v1/auth/login", json={"username": name, "password": PASSWORD}
                )
                tokens[name] = login.json()["access_token"]
        assert datetime.now(UTC)  # the server keeps the wall clock; tokens last 15 minutes
        for name, examples in (("fuzz_player", 5), ("fuzz_admin", 3)):
            result = _fuzz(server, tokens[name], examples, tmp_path)
            (tmp_path / f"{name}.txt").write_text(result.stdout)
            # A failure is a response the checks refuse (a 5xx, an undocumented status or content
            # type). The tool's own internal errors, if any, say nothing about the server.
            failures = result.stdout.split("=== FAILURES ===")[1:] if result.returncode else []
            assert not failures, f"{name}:\n{result.stdout[-8000:]}"
            assert "generated" in result.stdout, result.stdout[-2000:] + result.stderr[-2000:]
        log = (tmp_path / "server.log").read_text()
        assert "unhandled error" not in log, log[-4000:]
    finally:
        server.stop()
