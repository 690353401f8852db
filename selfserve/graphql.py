"""The `/graphql` endpoint: HTTP (our GraphQL-over-HTTP transport) and websockets (strawberry's
graphql-transport-ws handler only; the legacy `graphql-ws` protocol is off)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from core.errors import NotAuthenticated
from selfserve import admission, transport
from selfserve.context import actor_for_token, bearer_token, build_context
from selfserve.headers import graphiql_csp

#: Request errors whose message comes from the catalogue in the caller's language.
TRANSLATED_REQUEST_ERRORS = frozenset({"UNAUTHENTICATED", "INVALID_TEXT"})


class GraphQLEndpoint:
    """POST and GET `/graphql`."""

    def __init__(self, schema: Any, settings: Any) -> None:
        self.schema = schema
        self.settings = settings
        # Production serves no GraphiQL page at all.
        self._ide = None if settings.is_production else get_graphql_ide_html()
        self._ide_csp = graphiql_csp(self._ide) if self._ide else ""

    async def handle(self, request: Request) -> Response:
        """Answer one GraphQL-over-HTTP request."""
        accept = request.headers.get("accept")
        if request.method == "GET" and not request.query_params.get("query") and self._ide:
            if "text/html" in (accept or ""):
                return HTMLResponse(self._ide, headers={"Content-Security-Policy": self._ide_csp})
        try:
            media_type = transport.negotiate(accept)
        except transport.RequestError as error:
            return transport.error_response(error, transport.JSON)
        context = await build_context(request.app.state.services, request)
        refusal = await admission.admit(context, media_type)
        if refusal is not None:
            refusal.headers["X-Request-ID"] = context.request_id
            return refusal
        forms: list[Any] = []
        try:
            response = await self._answer(request, context, media_type, forms)
        finally:
            for form in forms:  # temporary upload files never outlive the request
                await form.close()
        response.headers["X-Request-ID"] = context.request_id
        response.headers.update(admission.headers(context))
        return response

    async def _answer(self, request: Request, context: Any, media_type: str, forms: list[Any]) -> Response:
        try:
            if request.method == "GET":
                params = transport.get_params(request)
                allowed = transport.ALLOWED_ON_GET
            else:
                if transport.is_multipart(request) and context.actor is None:
                    # Every operation that takes an upload needs a user: refuse before reading a
                    # byte of the parts, so strangers cannot make us spool files.
                    raise transport.RequestError(
                        401,
                        "UNAUTHENTICATED",
                        context.message("UNAUTHENTICATED"),
                        {"WWW-Authenticate": "Bearer"},
                    )
                params = await transport.post_params(request, self.settings, forms)
                allowed = transport.ALLOWED_ON_POST
            result = await self.schema.execute(
                params["query"],
                variable_values=params["variables"],
                context_value=context,
                operation_name=params["operation_name"],
                allowed_operation_types=allowed,
            )
        except transport.RequestError as error:
            if error.code in TRANSLATED_REQUEST_ERRORS:
                error.detail = context.message(error.code)
            return transport.error_response(error, media_type)
        except InvalidOperationTypeError as error:
            return transport.error_response(_wrong_operation_type(error.operation_type), media_type)
        except CannotGetOperationTypeError as error:
            detail = error.as_http_error_reason()
            return transport.error_response(transport.RequestError(400, "BAD_REQUEST", detail), media_type)
        except MissingQueryError:
            return transport.error_response(
                transport.RequestError(400, "BAD_REQUEST", "`query` must be a non-empty string"), media_type
            )
        return transport.result_response(result, media_type)


def _wrong_operation_type(kind: OperationType) -> transport.RequestError:
    if kind == OperationType.SUBSCRIPTION:
        return transport.RequestError(
            400, "BAD_REQUEST", "subscriptions are served over the graphql-transport-ws websocket"
        )
    return transport.RequestError(405, "METHOD_NOT_ALLOWED", "use POST for mutations", {"Allow": "POST"})


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
