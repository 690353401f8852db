"""`GET /health`: database and redis reachability."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse


async def health(request: Request) -> JSONResponse:
    """`{"status","database","redis"}`; 503 naming the failing part."""
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
    if report["database"] != "ok" or report["redis"] != "ok":
        report["status"] = "degraded"
        return JSONResponse(report, status_code=503)
    return JSONResponse(report)
