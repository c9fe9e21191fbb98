"""A small keep-alive HTTP/1.1 load generator for the hot-path and peak benchmarks.

Raw asyncio streams with pre-encoded requests: the generator must cost far less CPU per request
than the server it drives, on the same two cores. N connections each send one request, read the
whole answer (content-length framing, which Litestar and uvicorn always use for JSON), record the
latency, and take the next request from a shared source until it is empty or time is up.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


def http_request(
    method: str, path: str, token: str | None = None, body: bytes = b"", host: str = "bench"
) -> bytes:
    """One pre-encoded HTTP/1.1 keep-alive request."""
    lines = [f"{method} {path} HTTP/1.1", f"host: {host}"]
    if token:
        lines.append(f"authorization: Bearer {token}")
    if body or method == "POST":
        lines += ["content-type: application/json", f"content-length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Result:
    """What one load run measured."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Requests answered."""
        return len(self.latencies)

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        """The q-th percentile latency in milliseconds."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000

    @property
    def errors(self) -> int:
        """Answers that were not 2xx."""
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    at = head.lower().find(b"content-length:")
    length = int(head[at + 15 : head.index(b"\r\n", at)]) if at >= 0 else 0
    body = await reader.readexactly(length) if length else b""
    return status, body


async def run_load(
    host: str,
    port: int,
    requests: Iterator[bytes],
    *,
    connections: int = 64,
    seconds: float = 5.0,
    on_body: Callable[[int, bytes], None] | None = None,
) -> Result:
    """Drive `requests` through `connections` keep-alive connections for up to `seconds`."""
    result = Result(seconds=0.0)
    deadline = time.perf_counter() + seconds
    latencies, statuses = result.latencies, result.statuses

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
        try:
            while time.perf_counter() < deadline:
                request = next(requests, None)
                if request is None:
                    return
                began = time.perf_counter()
                writer.write(request)
                status, body = await _read_response(reader)
                latencies.append(time.perf_counter() - began)
                statuses[status] = statuses.get(status, 0) + 1
                if on_body is not None:
                    on_body(status, body)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


async def run_kinds(
    host: str,
    port: int,
    requests: Iterator[tuple[str, bytes]],
    *,
    connections: int = 64,
    seconds: float = 60.0,
    sent: Callable[[str, bytes, float], None] | None = None,
) -> dict[str, Result]:
    """Like `run_load`, for a stream of (kind, request): one `Result` per kind."""
    results: dict[str, Result] = {}
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
        try:
            while time.perf_counter() < deadline:
                item = next(requests, None)
                if item is None:
                    return
                kind, request = item
                began = time.perf_counter()
                if sent is not None:
                    sent(kind, request, began)
                writer.write(request)
                status, _ = await _read_response(reader)
                result = results.setdefault(kind, Result(seconds=0.0))
                result.latencies.append(time.perf_counter() - began)
                result.statuses[status] = result.statuses.get(status, 0) + 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    for result in results.values():
        result.seconds = time.perf_counter() - started
    return results
