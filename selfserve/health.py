"""Health endpoints (docs/operations.md):

- `GET /health/live`: the process is up and its event loop answers; no dependency is asked. A
  failing liveness probe means: restart the process.
- `GET /health/ready`: the database and redis answer AND the warm-up (the assistant's model, the
  help-center index: every task in `services.warmups`) has finished. A failing
  readiness probe means: send no traffic here yet.
- `GET /health`: the aggregate report (backward compatible): `status` is `ok`, or `degraded` naming
  each failing part (`database`, `redis`, `var_dir` read-only or full, `worker`: `missing` or `degraded` heartbeat). 503 when the
  database or redis is down.
"""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import tempfile
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from core.context import Services
from core.jobs import worker_health

PROBE_TIMEOUT = 3.0


async def _check(awaitable: Any) -> str:
    try:
        await asyncio.wait_for(awaitable, timeout=PROBE_TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure means unavailable
        return "unavailable"
    return "ok"


async def dependencies(services: Services) -> dict[str, str]:
    """`database` and `redis`: `ok` or `unavailable` (checked concurrently, each bounded)."""
    database, redis = await asyncio.gather(
        _check(services.orm.db("default").execute_query("SELECT 1")), _check(services.redis.ping())
    )
    return {"database": database, "redis": redis}


def var_dir_state(path: Any, min_free_bytes: int) -> str:
    """`ok`, `read-only` or `full`: a real write is tried (permission bits alone lie to root and
    say nothing about a read-only mount)."""
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".health-", delete=True) as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return "full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "read-only"
    try:
        if shutil.disk_usage(path).free < min_free_bytes:
            return "full"
    except OSError:
        return "read-only"
    return "ok"


def warmup_state(services: Services) -> str:
    """`ok` when every warm-up task finished, `warming` while one runs, `failed` if one raised."""
    tasks = list(services.warmups.values())
    if any(not task.done() for task in tasks):
        return "warming"
    if any(task.cancelled() or task.exception() is not None for task in tasks):
        return "failed"
    return "ok"


async def worker_report(services: Services) -> dict[str, Any]:
    """`{"worker": "in-process"}` when jobs run in this process; otherwise the heartbeat report of
    the `selfserve worker` pool: `ok`, `missing` (no live heartbeat) or `degraded` (a periodic job
    missed its period, named in `worker_missed`)."""
    if services.jobs.in_process:
        return {"worker": "in-process"}
    try:
        found = await asyncio.wait_for(worker_health(services.redis), timeout=3)
    except Exception:
        return {"worker": "unknown"}
    report: dict[str, Any] = {"worker": found["status"], "workers": found["workers"]}
    if found["missed"]:
        report["worker_missed"] = found["missed"]
    return report


async def live(request: Request) -> JSONResponse:
    """`{"status": "ok"}` as long as the process answers."""
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> JSONResponse:
    """`{"status": "ready"|"not ready", "database", "redis", "warmup"}`; 503 until ready."""
    services = request.app.state.services
    report: dict[str, str] = {**await dependencies(services), "warmup": warmup_state(services)}
    is_ready = all(value == "ok" for value in report.values())
    report = {"status": "ready" if is_ready else "not ready", **report}
    return JSONResponse(report, status_code=200 if is_ready else 503)


async def health(request: Request) -> JSONResponse:
    """`{"status","database","redis","var_dir","worker"}`; 503 when the database or redis is down."""
    services = request.app.state.services
    report: dict[str, Any] = {"status": "ok", **await dependencies(services)}
    settings = services.settings
    report["var_dir"] = await asyncio.to_thread(
        var_dir_state, settings.var_dir, settings.var_dir_min_free_bytes
    )
    report.update(await worker_report(services))
    # Without a worker pool jobs are delayed (kept in the queue and the outbox), never lost: the
    # process still answers, so that is `degraded` with 200.
    healthy = {"ok", "in-process"}
    failing = [
        part for part in ("database", "redis", "var_dir", "worker") if report.get(part, "ok") not in healthy
    ]
    if failing:
        report["status"] = "degraded"
        report["failing"] = failing
    down = report["database"] != "ok" or report["redis"] != "ok"
    return JSONResponse(report, status_code=503 if down else 200)
