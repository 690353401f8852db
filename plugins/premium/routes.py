"""`GET /premium/analytics.csv?days=30`: the analytics report as a CSV download (Bearer token,
`analytics_report` entitlement)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.errors import DomainError
from core.plugins import call_async
from plugins.premium import analytics


async def _actor(request: Request):
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    services = request.app.state.services
    for actor in await call_async(services.pm, "actor_from_token", token=token.strip(), services=services):
        if actor is not None:
            return actor
    return None


async def analytics_csv(request: Request) -> Response:
    """The report's daily rows as `text/csv` (401 anonymous, 403 without the add-on)."""
    actor = await _actor(request)
    if actor is None:
        return JSONResponse({"error": "UNAUTHENTICATED"}, status_code=401)
    services = request.app.state.services
    if actor.restricted or "analytics_report" not in await services.entitlements.for_user(actor.user_id):
        return JSONResponse(
            {"error": "ENTITLEMENT_REQUIRED", "entitlement": "analytics_report"}, status_code=403
        )
    try:
        days = int(request.query_params.get("days", "30"))
        offset = int(request.query_params.get("utcOffsetHours", "8"))
        report = await analytics.build(actor.user_id, days, offset, services=services)
    except (ValueError, DomainError):
        return JSONResponse({"error": "INVALID_INPUT", "detail": "days: 1 to 365"}, status_code=400)
    filename = f"analytics-{report.since.isoformat()}-{report.until.isoformat()}.csv"
    return Response(
        analytics.to_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def routes() -> list[Route]:
    """The routes this plugin mounts."""
    return [Route("/premium/analytics.csv", analytics_csv, methods=["GET"])]
