"""Errors in GraphQL: per-plugin `<Plugin>Error` union members, and top-level error shaping.

Domain failures whose code belongs to the operation's plugin become the typed union member;
UNAUTHENTICATED, FORBIDDEN, RATE_LIMITED, ENTITLEMENT_REQUIRED and the like become top-level errors
with `extensions.code`; anything unexpected is masked and logged with the request id.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Iterator, Sequence
from typing import Any, Optional

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from core.errors import DomainError, RateLimited

logger = logging.getLogger("selfserve.graphql")

#: Codes every plugin's error enum carries besides its own.
COMMON_CODES = ("INVALID_INPUT", "NOT_FOUND", "CONFLICT_OF_INTEREST", "ADMIN_REQUIRED")

#: graphql-core's " Did you mean 'a', 'b', or 'c'?" (names hold no "?"): fields, arguments, input
#: fields, enum values and types alike.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def plugin_error(name: str, codes: Sequence[str], description: str, *, plugin: str) -> tuple[Any, type, Any]:
    """Create `<name>ErrorCode` enum, `<name>Error` type and the handler that maps domain errors
    with those codes to it, with `plugin`'s own messages. Returns `(enum, error type, handler)`."""
    all_codes = list(dict.fromkeys([*COMMON_CODES, *codes]))
    code_enum = strawberry.enum(
        enum.Enum(f"{name}ErrorCode", {code: code for code in all_codes}),
        description=f"What went wrong in a {name.lower()} operation.",
    )

    namespace = {
        "__annotations__": {"code": code_enum, "message": str, "field": Optional[str]},  # noqa: UP045
        "code": strawberry.field(description="Stable machine-readable error code."),
        "message": strawberry.field(description="Human-readable message in the request's language."),
        "field": strawberry.field(default=None, description="The input field at fault, if one is."),
    }
    error_type = strawberry.type(type(f"{name}Error", (), namespace), description=description)
    code_set = frozenset(all_codes)

    class Handler(strawberry.ExceptionHandler):
        exception_type = DomainError

        def handle(self, exception: DomainError, *, field: Any, info: Any) -> Any:
            if exception.code not in code_set:
                return None  # not ours: a top-level error
            message = info.context.message_in(plugin, exception.code, **exception.params)
            return error_type(code=code_enum[exception.code], message=message, field=exception.field)

    Handler.error_type = error_type
    Handler.__name__ = f"{name}ErrorHandler"
    return code_enum, error_type, Handler()


def request_error_code(error: GraphQLError) -> str:
    """The code of an error raised before execution: the parser's token limit, a syntax error, or
    a validation failure."""
    if "tokens" in error.message:
        return "QUERY_TOO_COMPLEX"
    return "GRAPHQL_PARSE_FAILED" if isinstance(error, GraphQLSyntaxError) else "GRAPHQL_VALIDATION_FAILED"


def _domain_error(error: GraphQLError) -> DomainError | None:
    original = error.original_error
    while original is not None and not isinstance(original, DomainError):
        original = getattr(original, "original_error", None) or original.__cause__
    return original


def _innermost(error: GraphQLError) -> BaseException | None:
    """The first error that is not a GraphQLError wrapping another one."""
    original: BaseException | None = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    return original


def request_failure_code(error: GraphQLError) -> str | None:
    """The code of an error raised before any resolver ran (no path), or None when it is not the
    client's doing: parse and validation failures, variable coercion (wrong type, null for
    non-null, missing, bad enum or Date, unknown input field) and nesting too deep for the stack."""
    if error.path is not None:
        return None
    original = _innermost(error)
    if original is None or isinstance(error, GraphQLSyntaxError):
        return request_error_code(error)
    if isinstance(original, RecursionError):
        return "QUERY_TOO_COMPLEX"
    if isinstance(original, (GraphQLError, TypeError, ValueError, OverflowError)):
        return "BAD_USER_INPUT"
    return None


class ErrorShaper(SchemaExtension):
    """Give every top-level error an `extensions.code` and a translated message; mask the rest.

    Runs for HTTP results (`on_operation`) and for each result streamed over the websocket
    (`on_stream_result`), so both transports answer the same codes. With `hide_suggestions`
    (production) no message says "Did you mean…".
    """

    def __init__(self, *, hide_suggestions: bool = False, execution_context: Any = None) -> None:
        super().__init__(execution_context=execution_context)
        self.hide_suggestions = hide_suggestions
        self._streamed = False

    def on_operation(self) -> Iterator[None]:
        yield
        if not self._streamed:
            self._shape_result(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        self._streamed = True
        self._shape_result(result)
        yield

    def _shape_result(self, result: Any) -> None:
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [self._without_suggestions(self._shape(error)) for error in errors]

    def _without_suggestions(self, error: GraphQLError) -> GraphQLError:
        if self.hide_suggestions and "Did you mean" in error.message:
            error.message = _SUGGESTION.sub("", error.message)
        return error

    def _shape(self, error: GraphQLError) -> GraphQLError:
        context = self.execution_context.context
        extensions = dict(error.extensions or {})
        domain = _domain_error(error)
        if domain is not None:
            extensions["code"] = domain.code
            if isinstance(domain, RateLimited):
                extensions["retryAfter"] = domain.retry_after
            if domain.field:
                extensions["field"] = domain.field
            if getattr(domain, "entitlement", None):
                extensions["entitlement"] = domain.entitlement
            message = (
                context.message_in(domain.plugin, domain.code, **domain.params) if context else domain.code
            )
            return _copy(error, message, extensions)
        if "code" in extensions:
            return error
        code = request_failure_code(error)
        if code is not None:
            extensions["code"] = code
            message = error.message
            if isinstance(_innermost(error), RecursionError) and context:
                message = context.message(code, detail="the document is nested too deeply")
            return _copy(error, message, extensions)
        request_id = getattr(context, "request_id", "")
        logger.error("unexpected error (request %s)", request_id, exc_info=error.original_error)
        extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        message = (
            context.message("INTERNAL_SERVER_ERROR", request_id=request_id) if context else "Internal error"
        )
        return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=extensions)


def _copy(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )
