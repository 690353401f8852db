"""`GET /health`: database and redis reachability, and the worker pool's heartbeat."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from core.jobs import worker_health


async def health(request: Request) -> JSONResponse:
    """`{"status","database","redis","worker"}`; 503 naming the failing part."""
    services = request.app.state.services
    report = {"status": "ok", "database": "ok", "redis": "ok"}
    try:
        await asyncio.wait_for(services.orm.db("default").execute_query("SELECT 1"), timeout=3)
    except Exception:
        report["database"] = "unavailable"
    try:
        await asyncio.wait_for(services.redis.ping(), timeout=3)
    except Exception:
        report["redis"] = "unavailable"
    report.update(await worker_report(services))
    if any(report[part] not in ("ok", "in-process") for part in ("database", "redis", "worker")):
        report["status"] = "degraded"
        return JSONResponse(report, status_code=503)
    return JSONResponse(report)


async def worker_report(services: Any) -> dict[str, Any]:
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
