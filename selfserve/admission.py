"""Whether a GraphQL request may run at all: a refused credential answers 401, a caller over its
rate limit 429 with `Retry-After`, `RateLimit-Policy` and `RateLimit`. Both before execution.

Over a websocket (graphql-transport-ws) every `subscribe` message is one operation against the same
per-app / per-user / per-IP budget: over it, `operation_refusal` is the `RATE_LIMITED` error that
answers that operation alone (the connection and its other operations go on)."""

from __future__ import annotations

import logging
from typing import Any

from starlette.responses import JSONResponse, Response

from core import availability

logger = logging.getLogger("selfserve.admission")


def _refusal(
    status: int, code: str, message: str, media_type: str, headers: dict[str, str], **extra: Any
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extra}}]}
    return JSONResponse(body, status_code=status, headers=headers, media_type=f"{media_type}; charset=utf-8")


async def admit(context: Any, media_type: str) -> Response | None:
    """None when the request may run; otherwise the response that refuses it."""
    if context.credential_rejected:
        message = context.message("UNAUTHENTICATED")
        return _refusal(401, "UNAUTHENTICATED", message, media_type, {"WWW-Authenticate": "Bearer"})
    verdict = await _hit(context)
    if verdict is None or verdict.allowed:
        return None
    message = context.message("RATE_LIMITED", retry_after=verdict.reset_seconds)
    return _refusal(
        429, "RATE_LIMITED", message, media_type, verdict.headers(), retryAfter=verdict.reset_seconds
    )


async def operation_refusal(context: Any) -> dict[str, Any] | None:
    """None when one more websocket operation may run; else its formatted `RATE_LIMITED` error."""
    verdict = await _hit(context)
    if verdict is None or verdict.allowed:
        return None
    return {
        "message": context.message("RATE_LIMITED", retry_after=verdict.reset_seconds),
        "extensions": {"code": "RATE_LIMITED", "retryAfter": verdict.reset_seconds},
    }


async def _hit(context: Any) -> Any:
    """Count one operation of the caller; the verdict, or None when no limiter runs or its store is
    down (the store being down must not take the API down with it)."""
    limiter = context.services.request_limits
    if limiter is None:
        return None
    try:
        verdict = await limiter.hit(context.caller, context.ip)
    except Exception as error:
        dependency = availability.dependency_of(error)
        outages = context.services.outages
        if dependency is not None and outages is not None:
            outages.report(dependency, error)  # logged once per outage, not once per request
        else:
            logger.warning("rate limiter unavailable; request let through", exc_info=True)
        return None
    context.rate_limit = verdict
    return verdict


def headers(context: Any) -> dict[str, str]:
    """The rate-limit headers for an admitted request's response."""
    return context.rate_limit.headers() if context.rate_limit is not None else {}
