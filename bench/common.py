"""Benchmark helpers: start servers on loopback, drive them with bounded concurrent clients, report."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(app: str, port: int, env: dict[str, str], workers: int = 1) -> Iterator[str]:
    """Run `uvicorn app` on 127.0.0.1:port until the block ends; yields the base URL."""
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    # No log line per request on the terminal (SELFSERVE_LOG_LEVEL=INFO in the env measures with it).
    process = subprocess.Popen(command, cwd=ROOT, env={"SELFSERVE_LOG_LEVEL": "WARNING", **os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=1).status_code in (200, 404, 503):
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{app} did not start")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Result:
    """Throughput and latency of one load run."""

    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0

    def line(self) -> str:
        return (
            f"{self.name:<28} {self.rps:8.0f} req/s  p50 {self.percentile(0.50):6.1f} ms  "
            f"p95 {self.percentile(0.95):6.1f} ms  p99 {self.percentile(0.99):6.1f} ms  "
            f"({self.requests} requests, {self.errors} errors, {statistics.fmean(self.latencies_ms or [0]):.1f} ms mean)"
        )


async def load(
    name: str,
    request: Callable[[httpx.AsyncClient], Awaitable[bool]],
    *,
    concurrency: int,
    total: int,
    warmup: int = 50,
) -> Result:
    """Send `total` requests from `concurrency` workers (after `warmup` unmeasured ones)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        for _ in range(warmup):
            await request(client)
        latencies: list[float] = []
        errors = 0
        remaining = total

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                ok = await request(client)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += 0 if ok else 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(name, len(latencies), errors, time.perf_counter() - started, latencies)


def migrate(env: dict[str, str]) -> None:
    """Apply the migrations of the database `env` names (before starting a server on it)."""
    subprocess.run(
        [sys.executable, "-m", "selfserve.cli", "migrate"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
