"""The `/graphql` endpoint: HTTP (our GraphQL-over-HTTP transport) and websockets (strawberry's
graphql-transport-ws handler only; the legacy `graphql-ws` protocol is off)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET

from core.errors import NotAuthenticated
from selfserve import admission, transport
from selfserve.context import actor_for_token, bearer_token, build_context


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

        context = await build_context(request.app.state.services, request)
        refusal = await admission.admit(context, media_type)
        if refusal is not None:
            return refusal
        result = await self.schema.execute(
            params["query"],
            variable_values=params["variables"],
            context_value=context,
            operation_name=params["operation_name"],
            allowed_operation_types=allowed,
        )
        response = transport.result_response(result, media_type)
        response.headers["X-Request-ID"] = context.request_id
        response.headers.update(admission.headers(context))
        return response


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
            try:
                actor = await actor_for_token(context.services, token)
            except NotAuthenticated:
                actor = None
            if actor is None:
                raise ConnectionRejectionError({"code": "UNAUTHENTICATED"})
            context.set_caller(actor)
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
