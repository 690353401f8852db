"""Real `selfserve worker` processes for fault tests: start one against a database and a Redis URL
(usually a `tcp_proxy` in front of Redis), wait for its heartbeat, stop it with SIGTERM or kill -9."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis

from core.ticker import HEARTBEAT_PREFIX

SELFSERVE = str(Path(sys.executable).with_name("selfserve"))
#: Short timeouts so each fault test stays short (the defaults are minutes, see docs/operations.md).
FAST_JOBS = {
    "SELFSERVE_JOBS_CLAIM_IDLE_SECONDS": "2",
    "SELFSERVE_JOBS_RELAY_INTERVAL_SECONDS": "0.3",
    "SELFSERVE_JOBS_RETRY_BASE_SECONDS": "0.2",
    "SELFSERVE_JOBS_RETRY_MAX_SECONDS": "1",
    "SELFSERVE_JOBS_DEAD_REPLAY_SECONDS": "1",
    "SELFSERVE_JOBS_TICK_SECONDS": "1",
}


class Worker:
    """One `selfserve worker` subprocess; its output goes to `log`."""

    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    @property
    def pid(self) -> int:
        """The worker's process id."""
        return self.process.pid

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.poll() is None

    def output(self) -> str:
        """Everything it printed and logged so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill9(self) -> None:
        """`kill -9`: no clean-up, no acknowledgement of what it had taken."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self, timeout: float = 40) -> int:
        """SIGTERM and wait for the exit code."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill9()
        return self.process.returncode


def worker_env(database_url: str, redis_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker process on these services."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SELFSERVE_")}
    env.update(
        {
            "SELFSERVE_ENV": "test",
            "SELFSERVE_DATABASE_URL": database_url,
            "SELFSERVE_REDIS_URL": redis_url,
            "SELFSERVE_VAR_DIR": str(var_dir),
            "SELFSERVE_SECRET_KEY": "test-secret-key-that-is-long-enough-for-hkdf",
            "SELFSERVE_JOBS_IN_PROCESS": "false",
            "PYTHONUNBUFFERED": "1",
            **FAST_JOBS,
            **extra,
        }
    )
    return env


def start_worker(
    env: dict[str, str], log: Path, *, prefix: tuple[str, ...] = (), concurrency: int = 4
) -> Worker:
    """Start `selfserve worker` (optionally wrapped, e.g. in `unshare`)."""
    out = log.open("ab")
    process = subprocess.Popen(
        [*prefix, SELFSERVE, "worker", "--concurrency", str(concurrency)],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    out.close()
    return Worker(process, log)


@contextlib.contextmanager
def stopped_at_end(*workers: Worker) -> Iterator[None]:
    """Stop the workers however the block ends."""
    try:
        yield
    finally:
        for worker in workers:
            if worker.alive():
                worker.kill9()


async def heartbeats(redis_url: str) -> dict[str, Any]:
    """The live workers' heartbeat values by key."""
    import json

    client = aioredis.from_url(redis_url, decode_responses=True)
    try:
        keys = [key async for key in client.scan_iter(match=HEARTBEAT_PREFIX + "*")]
        values = await client.mget(keys) if keys else []
        return {key: json.loads(value) for key, value in zip(keys, values, strict=True) if value}
    finally:
        await client.aclose()


async def wait_for_heartbeat(redis_url: str, worker: Worker, timeout: float = 30) -> dict[str, Any]:
    """Wait until `worker` wrote its heartbeat; returns it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert worker.alive(), worker.output()
        for beat in (await heartbeats(redis_url)).values():
            if beat.get("pid") == worker.pid:
                return beat
        await asyncio.sleep(0.2)
    raise AssertionError(f"worker {worker.pid} wrote no heartbeat:\n{worker.output()}")


async def eventually(check: Any, timeout: float, message: str = "", interval: float = 0.2) -> Any:
    """Await `check()` until it returns something truthy (or fail after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message or "condition not met in time")
        await asyncio.sleep(interval)
