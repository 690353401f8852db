"""The `/graphql` endpoint: HTTP (our GraphQL-over-HTTP transport) and websockets (strawberry's
graphql-transport-ws handler only; the legacy `graphql-ws` protocol is off)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET

from core import availability
from core.i18n import negotiate_language
from selfserve import transport
from selfserve.context import actor_for_token, bearer_token, build_context, request_id_of


class GraphQLEndpoint:
    """POST and GET `/graphql`."""

    def __init__(self, schema: Any, settings: Any) -> None:
        self.schema = schema
        self.settings = settings
        self._ide = None if settings.is_production else get_graphql_ide_html()

    async def handle(self, request: Request) -> Response:
        """Answer one GraphQL-over-HTTP request."""
        accept = request.headers.get("accept")
        if request.method == "GET" and not request.query_params.get("query") and self._ide:
            if "text/html" in (accept or ""):
                return HTMLResponse(self._ide)
        try:
            media_type = transport.negotiate(accept)
        except transport.RequestError as error:
            return transport.error_response(error, transport.JSON)
        try:
            if request.method == "GET":
                params = transport.get_params(request)
                kind = transport.operation_type(
                    params["query"], params["operation_name"], self.settings.max_tokens
                )
                if kind is not None and kind.value != "query":
                    raise transport.RequestError(
                        405, "METHOD_NOT_ALLOWED", "use POST for mutations", {"Allow": "POST"}
                    )
                allowed = transport.ALLOWED_ON_GET
            else:
                params = await transport.post_params(request, self.settings)
                allowed = transport.ALLOWED_ON_POST
        except transport.RequestError as error:
            return transport.error_response(error, media_type)

        services = request.app.state.services
        request_id = request_id_of(request)
        work = asyncio.ensure_future(self._execute(services, request, params, allowed))
        done, _ = await asyncio.wait({work}, timeout=self.settings.request_deadline_seconds)
        if not done:
            # A frozen dependency: answer now; the work is cancelled and cleans up on its own.
            work.cancel()
            work.add_done_callback(_retrieve)
            services.outages.report(availability.DEADLINE)
            return self._unavailable(request, media_type, request_id, availability.DEADLINE)
        try:
            result = work.result()
        except Exception as error:
            dependency = availability.dependency_of(error)
            if dependency is None:
                raise
            services.outages.report(dependency, error)
            return self._unavailable(request, media_type, request_id, dependency)
        context, execution = result
        response = transport.result_response(execution, media_type)
        if _unavailable_in(execution):
            response.status_code = 503
            response.headers["Retry-After"] = str(self.settings.retry_after_seconds)
        response.headers["X-Request-ID"] = context.request_id
        return response

    async def _execute(self, services: Any, request: Request, params: dict[str, Any], allowed: Any) -> Any:
        # Building the context asks the plugins who owns the token (database, redis): it runs
        # inside the same deadline and outage handling as the operation.
        context = await build_context(services, request)
        execution = await self.schema.execute(
            params["query"],
            variable_values=params["variables"],
            context_value=context,
            operation_name=params["operation_name"],
            allowed_operation_types=allowed,
        )
        return context, execution

    def _unavailable(self, request: Request, media_type: str, request_id: str, dependency: str) -> Response:
        services = request.app.state.services
        retry_after = self.settings.retry_after_seconds
        language = negotiate_language(request.headers.get("accept-language"), None)
        message = services.catalog.message("SERVICE_UNAVAILABLE", language, {"retry_after": retry_after})
        return transport.unavailable_response(message, retry_after, media_type, request_id)


def _retrieve(task: asyncio.Future) -> None:
    """Fetch a cancelled request's outcome so asyncio does not log it as never retrieved."""
    if not task.cancelled():
        task.exception()


def _unavailable_in(execution: Any) -> bool:
    return any(
        (error.extensions or {}).get("code") == "SERVICE_UNAVAILABLE" for error in execution.errors or ()
    )


class _WebSocketGraphQL(GraphQL):
    """strawberry's ASGI GraphQL app used for websockets only; auth in `connection_init`."""

    async def get_context(self, request: Any, response: Any) -> Any:
        return await build_context(request.app.state.services, request)

    async def on_ws_connect(self, context: Any) -> Any:
        params = getattr(context, "connection_params", None) or {}
        if not isinstance(params, dict):
            raise ConnectionRejectionError({"reason": "connection_init payload must be an object"})
        token = bearer_token(params.get("authorization") or params.get("Authorization"))
        if token:
            actor = await actor_for_token(context.services, token)
            if actor is None:
                raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
            context.actor = actor
        return UNSET


def websocket_app(schema: Any, settings: Any) -> Any:
    """The websocket endpoint (graphql-transport-ws only)."""
    app = _WebSocketGraphQL(
        schema,
        graphql_ide=None,
        allow_queries_via_get=False,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
    )

    async def endpoint(websocket: WebSocket) -> None:
        await app(websocket.scope, websocket.receive, websocket.send)

    return endpoint
