"""The `/graphql` endpoint: HTTP (our GraphQL-over-HTTP transport) and websockets (strawberry's
graphql-transport-ws handler only; the legacy `graphql-ws` protocol is off)."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError, MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET

from core import availability
from core.callers import actor_for_token, bearer_token, build_context, request_id_of
from core.errors import NotAuthenticated
from core.i18n import negotiate_language
from selfserve import admission, http_cache, transport
from selfserve.headers import graphiql_csp
from selfserve.persisted import PersistedDocuments
from selfserve.persisted_ws import TrustedDocumentsWSHandler

#: Request errors whose message comes from the catalogue in the caller's language.
TRANSLATED_REQUEST_ERRORS = frozenset({"UNAUTHENTICATED", "INVALID_TEXT"})


class _Unavailable(Exception):
    """A dependency is down or frozen past the request deadline: answer 503 `SERVICE_UNAVAILABLE`."""

    def __init__(self, dependency: str, error: BaseException | None = None) -> None:
        super().__init__(dependency)
        self.dependency = dependency
        self.error = error


#: nginx's status for "the client closed the connection before the answer": what the access log shows.
CLIENT_CLOSED_REQUEST = 499


class GraphQLEndpoint:
    """POST and GET `/graphql`."""

    def __init__(self, schema: Any, settings: Any) -> None:
        self.schema = schema
        self.settings = settings
        # Production serves no GraphiQL page at all.
        self._ide = None if settings.is_production else get_graphql_ide_html()
        self._ide_csp = graphiql_csp(self._ide) if self._ide else ""
        # APQ in redis, or only the manifest's documents (a bad manifest stops start-up here).
        self.persisted = PersistedDocuments.from_settings(settings)

    async def handle(self, request: Request) -> Response:
        """Answer one GraphQL-over-HTTP request."""
        accept = request.headers.get("accept")
        asks_operation = any(request.query_params.get(k) for k in ("query", "extensions", "documentId"))
        if request.method == "GET" and not asks_operation and self._ide:
            if "text/html" in (accept or ""):
                return HTMLResponse(self._ide, headers={"Content-Security-Policy": self._ide_csp})
        try:
            media_type = transport.negotiate(accept)
        except transport.RequestError as error:
            return transport.error_response(error, transport.JSON)
        services = request.app.state.services
        forms: list[Any] = []
        try:
            # Building the context asks the plugins who owns the token (database, redis): it runs
            # inside the same deadline and outage handling as the operation.
            context, refusal = await self._bounded(self._admitted(services, request, media_type))
            if refusal is not None:
                refusal.headers["X-Request-ID"] = context.request_id
                return refusal
            response = await self._answer(request, context, media_type, forms)
        except _Unavailable as outage:
            services.outages.report(outage.dependency, outage.error)
            return self._unavailable(request, media_type, request_id_of(request))
        finally:
            for form in forms:  # temporary upload files never outlive the request
                await form.close()
        response.headers["X-Request-ID"] = context.request_id
        response.headers.update(admission.headers(context))
        return response

    async def _admitted(
        self, services: Any, request: Request, media_type: str
    ) -> tuple[Any, Response | None]:
        """The request's context and admission's refusal (None: admitted), in one bounded step."""
        context = await build_context(services, request)
        return context, await admission.admit(context, media_type)

    async def _resolved_and_executed(
        self, redis: Any, params: dict[str, Any], media_type: str, context: Any, allowed: Any
    ) -> tuple[Any, Any]:
        """The document (persisted queries) and its execution, in one bounded step."""
        document = await self.persisted.resolve(redis, params, media_type)
        result = await self.schema.execute(
            document.query,
            variable_values=params["variables"],
            context_value=context,
            operation_name=params["operation_name"],
            allowed_operation_types=allowed,
        )
        return document, result

    async def _bounded(self, awaitable: Any) -> Any:
        """Await within the request deadline; a frozen or failing dependency raises `_Unavailable`.
        (Reading the request body is not bounded: a slow upload is the client's pace, not an outage.)"""
        work = asyncio.ensure_future(awaitable)
        done, _ = await asyncio.wait({work}, timeout=self.settings.request_deadline_seconds)
        if not done:
            # A frozen dependency: answer now; the work is cancelled and cleans up on its own.
            work.cancel()
            work.add_done_callback(_retrieve)
            raise _Unavailable(availability.DEADLINE)
        try:
            return work.result()
        except Exception as error:
            dependency = availability.dependency_of(error)
            if dependency is None:
                raise
            raise _Unavailable(dependency, error) from error

    def _unavailable(self, request: Request, media_type: str, request_id: str) -> Response:
        services = request.app.state.services
        retry_after = self.settings.retry_after_seconds
        language = negotiate_language(request.headers.get("accept-language"), None)
        message = services.catalog.message("SERVICE_UNAVAILABLE", language, {"retry_after": retry_after})
        return transport.unavailable_response(message, retry_after, media_type, request_id)

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
            redis = context.services.redis
            # One bounded step per phase, not per call: each bound costs a task and a timer.
            document, result = await self._bounded(
                self._resolved_and_executed(redis, params, media_type, context, allowed)
            )
            if document.register_hash and not transport.is_request_error(result):
                await self._bounded(self.persisted.register(redis, document.register_hash, document.query))
        except ClientDisconnect:
            # The client went away before its request was read (a closed tab, a load generator
            # stopping): no one to answer and nothing went wrong here, so no error is logged.
            return Response(status_code=CLIENT_CLOSED_REQUEST)
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
        response = transport.result_response(result, media_type)
        if _unavailable_in(result):
            response.status_code = 503
            response.headers["Retry-After"] = str(self.settings.retry_after_seconds)
        if request.method == "GET":
            response = http_cache.answer_get(request, response, result, self.schema, document.query, params)
        return response


def _wrong_operation_type(kind: OperationType) -> transport.RequestError:
    if kind == OperationType.SUBSCRIPTION:
        return transport.RequestError(
            400, "BAD_REQUEST", "subscriptions are served over the graphql-transport-ws websocket"
        )
    return transport.RequestError(405, "METHOD_NOT_ALLOWED", "use POST for mutations", {"Allow": "POST"})


def _retrieve(task: asyncio.Future) -> None:
    """Fetch a cancelled request's outcome so asyncio does not log it as never retrieved."""
    if not task.cancelled():
        task.exception()


def _unavailable_in(execution: Any) -> bool:
    return any(
        (error.extensions or {}).get("code") == "SERVICE_UNAVAILABLE" for error in execution.errors or ()
    )


class _RateLimitedTransportWS(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws where each `subscribe` (a subscription, query or mutation) counts
    against the caller's rate limit; over it that operation alone gets an `error` message with
    `extensions.code = RATE_LIMITED`, and the connection stays open for the others."""

    async def handle_subscribe(self, message: Any) -> None:
        # Only operations strawberry would start: unacknowledged or duplicate ids it closes itself.
        if self.connection_acknowledged and message["id"] not in self.operations:
            refusal = await admission.operation_refusal(self.context)
            if refusal is not None:
                await self.send_message(
                    cast(Any, {"id": message["id"], "type": "error", "payload": [refusal]})
                )
                return
        await super().handle_subscribe(message)


class _WebSocketGraphQL(GraphQL):
    """strawberry's ASGI GraphQL app used for websockets only; auth in `connection_init`."""

    graphql_transport_ws_handler_class = _RateLimitedTransportWS

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


def websocket_app(schema: Any, settings: Any, persisted: PersistedDocuments | None = None) -> Any:
    """The websocket endpoint (graphql-transport-ws only); in trusted-documents mode only the
    manifest's documents run (`persisted`)."""
    app = _WebSocketGraphQL(
        schema,
        graphql_ide=None,
        allow_queries_via_get=False,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
    )
    if persisted is not None and persisted.trusted_only:
        app.persisted = persisted  # pyright: ignore[reportAttributeAccessIssue] - read by the handler
        app.graphql_transport_ws_handler_class = TrustedDocumentsWSHandler

    async def endpoint(websocket: WebSocket) -> None:
        await app(websocket.scope, websocket.receive, websocket.send)

    return endpoint
