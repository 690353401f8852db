"""Outage answers for every HTTP route, not only `/graphql`: a dependency error that escapes a
route (a plugin's webhook or download endpoint) becomes a JSON 503 with `Retry-After` instead of
starlette's text/plain 500 that also closes the keep-alive connection."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.availability import dependency_of
from core.callers import request_id_of
from core.i18n import negotiate_language
from selfserve import transport


class OutageMiddleware:
    """Turn a dependency outage raised before the response started into `SERVICE_UNAVAILABLE`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            dependency = dependency_of(error)
            if dependency is None or started:
                raise
            services = getattr(scope["app"].state, "services", None)
            if services is None:
                raise
            services.outages.report(dependency, error)
            settings = services.settings
            headers = dict((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"])
            language = negotiate_language(headers.get("accept-language"), None)
            message = services.catalog.message(
                "SERVICE_UNAVAILABLE", language, {"retry_after": settings.retry_after_seconds}
            )
            request_id = scope.get("selfserve.request_id") or request_id_of(_Headers(headers, scope))
            response = transport.unavailable_response(
                message, settings.retry_after_seconds, transport.JSON, request_id
            )
            await response(scope, receive, send)


class _Headers:
    """Just enough of a request for `request_id_of`."""

    def __init__(self, headers: dict[str, str], scope: Scope) -> None:
        self.headers = headers
        self.scope = scope
