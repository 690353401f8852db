"""Who is calling: the request context built from an HTTP request or websocket connection (the
bearer token's actor, the language, the client address, the request id). `core.context` holds the
`RequestContext` type itself; the GraphQL endpoint and the portal's pages both build it here."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Sequence
from typing import Any

from core.context import Actor, RequestContext, Services
from core.errors import NotAuthenticated
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
    """Ask the plugins (`actor_from_token`) who owns a bearer token. A plugin that owns the token
    but refuses it outright (a revoked app token) raises `NotAuthenticated`, which propagates."""
    if not token:
        return None
    for actor in await call_async(services.pm, "actor_from_token", token=token, services=services):
        if actor is not None:
            return actor
    return None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request: Any, trusted: Sequence[Any] = ()) -> str:
    """The client address. `X-Forwarded-For` is read only when the TCP peer is a trusted proxy,
    and then from the right: the first address that is not itself a trusted proxy is the client
    (everything left of it was written by the client and proves nothing)."""
    client = getattr(request, "client", None)
    peer = client.host if client else "0.0.0.0"
    address = _address(peer)
    if not trusted or address is None or not any(address in net for net in trusted):
        return peer
    hops = [h for value in request.headers.getlist("x-forwarded-for") for h in value.split(",")]
    for hop in reversed(hops):
        hop_address = _address(hop)
        if hop_address is None:
            break  # garbage from the client side: stop at the last proxy we trust
        address = hop_address
        if not any(address in net for net in trusted):
            break
    return str(address)


def request_id_of(request: Any) -> str:
    """The caller's `X-Request-ID` when it is sane, else a new one; the same for the whole request."""
    scope = getattr(request, "scope", None)
    remembered = scope.get("selfserve.request_id") if isinstance(scope, dict) else None
    if remembered:
        return remembered
    request_id = request.headers.get("x-request-id", "")
    if not _REQUEST_ID.match(request_id):
        request_id = os.urandom(16).hex()  # 32 hex digits like uuid4().hex, without the UUID object
    if isinstance(scope, dict):
        scope["selfserve.request_id"] = request_id
    return request_id


def _actor_kind(caller: Actor | None) -> str:
    """`anonymous`, `user`, `staff` or `app`: what the logs say of a caller (never who)."""
    if caller is None:
        return "anonymous"
    if caller.is_app:
        return "app"
    return "staff" if caller.is_staff else "user"


async def build_context(services: Services, request: Any, authorization: str | None = None) -> RequestContext:
    """The context of one HTTP request or websocket connection."""
    headers = request.headers
    request_id = request_id_of(request)
    rejected = False
    try:
        actor = await actor_for_token(services, bearer_token(authorization or headers.get("authorization")))
    except NotAuthenticated:
        actor, rejected = None, True
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict):  # for the request's log line (`selfserve.observe`)
        scope["selfserve.actor_kind"] = _actor_kind(actor)
    return RequestContext(
        services=services,
        actor=actor,
        credential_rejected=rejected,
        language=negotiate_language(headers.get("accept-language"), actor.language if actor else None),
        ip=client_ip(request, services.settings.trusted_proxy_networks),
        user_agent=headers.get("user-agent", "")[:300],
        request_id=request_id,
        request=request,
    )
