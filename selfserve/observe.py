"""What operators see of each request: the request id (taken from a sane `X-Request-ID` or made
up, echoed on every answer and bound to every log line written meanwhile), one log line per HTTP
request, the request metrics, a trace span, and the websocket gauges.

Two parts: `ObserveMiddleware` (outermost ASGI middleware: timing, status, log, metrics, span) and
`OperationObserver` (a strawberry extension, outermost too so it sees the shaped errors) that
leaves the executed operation's name and error codes in the ASGI scope for the middleware.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import structlog
from graphql import GraphQLError, OperationDefinitionNode
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from core.callers import request_id_of
from schema.errors import request_error_code
from selfserve import logs
from selfserve import metrics as edge

GRAPHQL_PATH = "/graphql"
#: Where `OperationObserver` leaves `{"operation": name | None, "codes": [...]}` for the middleware.
SCOPE_KEY = "selfserve.graphql"
#: The caller's kind (`core.callers.build_context`): anonymous, user, staff or app.
ACTOR_KEY = "selfserve.actor_kind"
#: Error answers refused before execution are read for their codes up to this size.
_ERROR_BODY_LIMIT = 64 * 1024


def _error_codes(errors: Any) -> list[str]:
    codes = []
    for error in errors or ():
        code = (getattr(error, "extensions", None) or {}).get("code")
        codes.append(str(code) if code else request_error_code(error))
    return codes


def _executed_name(execution_context: Any) -> str | None:
    """The operation's name, only when the document parsed and holds an operation of that name
    (a client may send any `operationName`; only the document's names become labels)."""
    document = execution_context.graphql_document
    if document is None:
        return None
    name = execution_context.operation_name  # the one asked for, else the document's first
    names = {d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode) and d.name}
    return name if name in names else None


class OperationObserver(SchemaExtension):
    """Record the executed operation's name and its errors' codes for `ObserveMiddleware`."""

    def on_operation(self) -> Any:
        try:
            yield
        except GraphQLError as error:
            # A parse error raised by a limiter extension: the transport answers it (its code
            # comes from `request_error_code`, as here).
            self._record([error])
            raise
        self._record(getattr(self.execution_context.result, "errors", None))

    def _record(self, errors: Any) -> None:
        record_operation(self.execution_context.context, _executed_name(self.execution_context), errors)


def record_operation(context: Any, operation: str | None, errors: Any) -> None:
    """Leave the operation's name and its errors' codes in the HTTP request's scope."""
    scope = getattr(getattr(context, "request", None), "scope", None)
    if not isinstance(scope, dict) or scope.get("type") != "http":
        return  # websocket answers are counted from the messages (`ObserveMiddleware`)
    scope[SCOPE_KEY] = {"operation": operation, "codes": _error_codes(errors)}


def _record_prepared(context: Any, _document: Any, operation: str | None, result: Any) -> None:
    """`OperationObserver` for a prepared document (schema/prepared.py), which skips extensions."""
    record_operation(context, operation, result.errors)


def _codes_in_body(body: bytes) -> list[str]:
    try:
        errors = json.loads(body).get("errors") or []
        return [
            str((e.get("extensions") or {}).get("code") or "UNKNOWN") for e in errors if isinstance(e, dict)
        ]
    except (ValueError, AttributeError):
        return []


#: Codes of a request that never executed because of how it was written (whatever the status:
#: `application/json` answers them with 200).
REQUEST_ERROR_CODES = frozenset(
    {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST", "INVALID_TEXT"}
)


def _outcome(status: int, codes: list[str]) -> str:
    """ok, error (errors in an executed operation), bad_request, rate_limited, unauthenticated,
    unavailable."""
    if status == 429:
        return "rate_limited"
    if status == 401:
        return "unauthenticated"
    if status == 503:
        return "unavailable"
    if status >= 500:
        return "error"
    if status >= 400 or (codes and REQUEST_ERROR_CODES.issuperset(codes)):
        return "bad_request"
    return "error" if codes else "ok"


def _route(scope: Scope) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


class ObserveMiddleware:
    """The outermost middleware (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services = getattr(scope["app"].state, "services", None) if "app" in scope else None
        if services is None or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(HTTPConnection(scope))
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            if scope["type"] == "http":
                await self._http(services, request_id, scope, receive, send)
            else:
                await self._websocket(services, scope, receive, send)

    async def _http(self, services: Any, request_id: str, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        answer: dict[str, Any] = {"status": 500, "body": b""}
        graphql = scope["path"] == GRAPHQL_PATH and scope["method"] in ("GET", "POST")

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                if "x-request-id" not in headers:
                    headers["X-Request-ID"] = request_id
                answer["json"] = "json" in headers.get("content-type", "")
            elif (
                message["type"] == "http.response.body"
                and graphql
                and answer["status"] >= 400
                and answer.get("json")
                and len(answer["body"]) < _ERROR_BODY_LIMIT
            ):
                answer["body"] += message.get("body", b"")
            await send(message)

        span = self._span(services, scope)
        try:
            with span as current:
                await self.app(scope, receive, observed_send)
                if current is not None:
                    current.set_attribute("http.response.status_code", answer["status"])
        finally:
            self._finish(services, request_id, scope, answer, time.perf_counter() - started, graphql)

    @staticmethod
    def _span(services: Any, scope: Scope) -> Any:
        tracer = services.tracer
        if tracer is None:
            return contextlib.nullcontext()
        return tracer.span(
            f"{scope['method']} {scope['path'] if scope['path'] == GRAPHQL_PATH else 'request'}",
            **{"http.request.method": scope["method"], "url.path": scope["path"]},
        )

    def _finish(
        self, services: Any, request_id: str, scope: Scope, answer: dict, seconds: float, graphql: bool
    ) -> None:
        status = answer["status"]
        route = _route(scope)
        registry = services.metrics
        registry.inc(edge.HTTP_REQUESTS, route=route, status=str(status))
        executed = scope.get(SCOPE_KEY)
        name = executed["operation"] if executed else None
        if graphql and (executed is not None or status >= 400):
            codes = executed["codes"] if executed else _codes_in_body(answer["body"])
            label = edge.operation_label(services, name)
            registry.inc(edge.REQUESTS, operation=label, outcome=_outcome(status, codes))
            registry.observe(edge.DURATION, seconds, operation=label)
            for code in codes:
                registry.inc(edge.ERRORS, code=code)
        facts: dict[str, Any] = {
            "request_id": request_id,
            "method": scope["method"],
            # The route's template, not the path: paths carry signed links and references.
            "path": route if route != "unmatched" else scope["path"][:200],
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "actor": scope.get(ACTOR_KEY, "anonymous"),
        }
        if name and edge.operation_label(services, name) == name:
            facts["operation"] = name
        logs.request_line(**facts)

    async def _websocket(self, services: Any, scope: Scope, receive: Receive, send: Send) -> None:
        registry = services.metrics
        running: set[str] = set()
        accepted = False

        def started(operation_id: Any) -> None:
            if isinstance(operation_id, str) and operation_id not in running:
                running.add(operation_id)
                registry.inc(edge.SUBSCRIPTIONS)

        def ended(operation_id: Any) -> None:
            if operation_id in running:
                running.discard(operation_id)
                registry.dec(edge.SUBSCRIPTIONS)

        async def observed_receive() -> Message:
            message = await receive()
            frame = _frame(message)
            if frame.get("type") == "subscribe":
                started(frame.get("id"))
            elif frame.get("type") == "complete":
                ended(frame.get("id"))
            return message

        async def observed_send(message: Message) -> None:
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                registry.inc(edge.CONNECTIONS)
            frame = _frame(message)
            kind = frame.get("type")
            if kind in ("next", "error"):
                payload = frame.get("payload")
                errors = payload if kind == "error" else (payload or {}).get("errors")
                for error in errors if isinstance(errors, list) else ():
                    if isinstance(error, dict):
                        registry.inc(
                            edge.ERRORS, code=str((error.get("extensions") or {}).get("code") or "UNKNOWN")
                        )
            if kind in ("complete", "error"):
                ended(frame.get("id"))
            await send(message)

        try:
            await self.app(scope, observed_receive, observed_send)
        finally:
            for operation_id in list(running):
                ended(operation_id)
            if accepted:
                registry.dec(edge.CONNECTIONS)


def _frame(message: Message) -> dict[str, Any]:
    """The graphql-transport-ws frame a websocket message carries, or {}."""
    text = message.get("text")
    if not text or not text.startswith("{"):
        return {}
    try:
        frame = json.loads(text)
    except ValueError:
        return {}
    return frame if isinstance(frame, dict) else {}


def install(app: Any, settings: Any) -> None:
    """Add the observer extension to the app's schema, the middleware (outermost: call this after
    every other `add_middleware`), and the internal metrics listener to the lifespan when
    `SELFSERVE_METRICS_PORT` is set."""
    schema = app.state.schema
    # First: its `on_operation` exits last, after `ErrorShaper` gave every error its code.
    schema.extensions = (OperationObserver, *schema.extensions)
    schema.result_hooks.append(_record_prepared)  # last, as the observer exits last
    app.add_middleware(ObserveMiddleware)
    if settings.metrics_port:
        inner = app.router.lifespan_context

        @contextlib.asynccontextmanager
        async def lifespan(started_app: Any) -> AsyncIterator[None]:
            async with inner(started_app):
                services = started_app.state.services
                async with edge.internal_listener(services, settings.metrics_port, settings.metrics_host):
                    yield

        app.router.lifespan_context = lifespan
