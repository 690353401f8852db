"""The periodic ticker (supervised), the worker heartbeat and the worker health report.

The ticker queues each periodic job once per period across all processes (a Redis `SET NX EX` per
period), records when each job was last queued (`selfserve:jobs:last_run`), and refreshes this
worker's heartbeat key (`selfserve:worker:<id>`, a JSON value with a short TTL). Any error (Redis
cut or frozen, a slow command) is logged once per outage and the ticker starts again with back-off.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from core.outage import Outage

logger = logging.getLogger("selfserve.jobs")

LAST_RUN_KEY = "selfserve:jobs:last_run"
HEARTBEAT_PREFIX = "selfserve:worker:"
TICK_SECONDS = 5.0
HEARTBEAT_TTL_SECONDS = 20


class Ticker:
    """Queues periodic jobs; restarts after any error. `kick(name)` queues one job."""

    def __init__(
        self,
        redis: Any,
        periods: dict[str, int],
        kick: Callable[[str], Awaitable[None]],
        *,
        heartbeat: bool,
        interval: float = TICK_SECONDS,
    ) -> None:
        self._redis = redis
        self.periods = periods
        self._kick = kick
        self._heartbeat = heartbeat
        self.interval = interval
        # One tick may take this long: a frozen Redis (no socket timeout) would hang it for ever.
        self.timeout = max(2.0, 2 * interval)
        self.worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.started = time.time()
        self.last_tick: float | None = None
        self.last_runs: dict[str, float] = {}
        self._outage = Outage(logger, "periodic ticker")

    async def run(self) -> None:
        """Tick for ever (cancel to stop)."""
        pause = self.interval
        while True:
            try:
                await asyncio.wait_for(self.tick(), self.timeout)
                self._outage.recovered()
                pause = self.interval
                await asyncio.sleep(self.interval)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - supervised: any error restarts the tick
                self._outage.failed(error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)

    async def tick(self) -> None:
        """Queue the periodic jobs whose period began, then refresh the heartbeat."""
        for name, period in self.periods.items():
            tick_key = f"jobs:tick:{name}"
            # One process per period wins the tick, however many API processes or workers run.
            if not await self._redis.set(tick_key, self.worker_id, nx=True, ex=period):
                continue
            try:
                await self._kick(name)
            except Exception:
                await self._redis.delete(tick_key)  # let the next tick (any process) try again
                raise
            now = time.time()
            self.last_runs[name] = now
            await self._redis.hset(LAST_RUN_KEY, name, now)
        self.last_tick = time.time()
        if self._heartbeat:
            await self.beat()

    async def beat(self) -> None:
        """Write this worker's heartbeat (expires unless refreshed)."""
        value = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": self.started,
            "last_tick": self.last_tick,
            "periods": self.periods,
            "interval": self.interval,
            "last_runs": self.last_runs,
        }
        await self._redis.set(HEARTBEAT_PREFIX + self.worker_id, json.dumps(value), ex=HEARTBEAT_TTL_SECONDS)

    async def forget(self) -> None:
        """Remove the heartbeat (clean shutdown), best effort."""
        try:
            await asyncio.wait_for(self._redis.delete(HEARTBEAT_PREFIX + self.worker_id), 2)
        except Exception:  # noqa: BLE001 - the key expires by itself
            pass


async def worker_health(redis: Any, *, now: float | None = None) -> dict[str, Any]:
    """How the `selfserve worker` pool is doing, from the heartbeats in Redis:
    `{"status": "ok"|"missing"|"degraded", "workers": n, "missed": [periodic jobs late]}`.

    `missing`: no worker refreshed its heartbeat within its TTL. `degraded`: a periodic job was
    not queued for more than two of its periods (the ticker is stuck everywhere)."""
    now = time.time() if now is None else now
    keys = [key async for key in redis.scan_iter(match=HEARTBEAT_PREFIX + "*", count=100)]
    beats = [json.loads(value) for value in (await redis.mget(keys) if keys else []) if value]
    if not beats:
        return {"status": "missing", "workers": 0, "missed": []}
    last_runs = {name: float(value) for name, value in (await redis.hgetall(LAST_RUN_KEY)).items()}
    started = min(float(beat.get("started") or now) for beat in beats)
    periods: dict[str, int] = {}
    for beat in beats:
        periods.update(beat.get("periods") or {})
    missed = sorted(
        name
        for name, period in periods.items()
        if now - max(last_runs.get(name, 0.0), started) > 2 * period + TICK_SECONDS * 2
    )
    return {"status": "degraded" if missed else "ok", "workers": len(beats), "missed": missed}
