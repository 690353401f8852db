"""Building the request context: who is calling (bearer token), in which language, from where."""

from __future__ import annotations

import re
import uuid
from typing import Any

from core.context import Actor, RequestContext, Services
from core.i18n import negotiate_language
from core.plugins import call_async

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def bearer_token(value: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` value."""
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


async def actor_for_token(services: Services, token: str | None) -> Actor | None:
    """Ask the plugins (`actor_from_token`) who owns a bearer token."""
    if not token:
        return None
    for actor in await call_async(services.pm, "actor_from_token", token=token, services=services):
        if actor is not None:
            return actor
    return None


def client_ip(request: Any) -> str:
    """The client address (a proxy's `X-Forwarded-For` is honoured only when configured)."""
    client = getattr(request, "client", None)
    return client.host if client else "0.0.0.0"


def request_id_of(request: Any) -> str:
    """The caller's `X-Request-ID` when it is sane, else a new one; the same for the whole request."""
    scope = getattr(request, "scope", None)
    remembered = scope.get("selfserve.request_id") if isinstance(scope, dict) else None
    if remembered:
        return remembered
    request_id = request.headers.get("x-request-id", "")
    if not _REQUEST_ID.match(request_id):
        request_id = uuid.uuid4().hex
    if isinstance(scope, dict):
        scope["selfserve.request_id"] = request_id
    return request_id


async def build_context(services: Services, request: Any, authorization: str | None = None) -> RequestContext:
    """The context of one HTTP request or websocket connection."""
    headers = request.headers
    request_id = request_id_of(request)
    actor = await actor_for_token(services, bearer_token(authorization or headers.get("authorization")))
    return RequestContext(
        services=services,
        actor=actor,
        language=negotiate_language(headers.get("accept-language"), actor.language if actor else None),
        ip=client_ip(request),
        user_agent=headers.get("user-agent", "")[:300],
        request_id=request_id,
        request=request,
    )
