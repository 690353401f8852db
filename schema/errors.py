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
from typing import TYPE_CHECKING, Any, ClassVar, Optional

import strawberry
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from core.availability import ServiceUnavailable, dependency_of
from core.errors import DomainError, RateLimited

logger = logging.getLogger("selfserve.graphql")

#: Codes every plugin's error enum carries besides its own.
COMMON_CODES = ("INVALID_INPUT", "NOT_FOUND", "CONFLICT_OF_INTEREST", "ADMIN_REQUIRED")

#: graphql-core's " Did you mean 'a', 'b', or 'c'?" (names hold no "?"): fields, arguments, input
#: fields, enum values and types alike.
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


class PluginError:
    """Base of a plugin's GraphQL error type, the `<Name>Error` member of its result unions.

    A subclass names the plugin and its codes; the class statement creates the `<Name>ErrorCode`
    enum (`COMMON_CODES` plus the plugin's own), the `code`, `message` and `field` fields and the
    exception handler that maps the plugin's `DomainError`s to it, with the plugin's own messages::

        @strawberry.type(description="Why an account operation failed.")
        class AccountError(PluginError, codes=CODES, plugin="account"):
            pass

        account_error_handler = AccountError.handler

    A real class (not a value returned by a factory) so result unions naming it are type aliases
    the type checker understands.
    """

    #: The `<Name>ErrorCode` enum of this error type.
    code_enum: ClassVar[type[enum.Enum]]
    #: The exception handler to list in the plugin's `SchemaContribution.exception_handlers`.
    handler: ClassVar[strawberry.ExceptionHandler]

    if TYPE_CHECKING:
        code: enum.Enum
        message: str
        field: str | None

        def __init__(self, *, code: enum.Enum, message: str, field: str | None = None) -> None: ...

    def __init_subclass__(cls, *, codes: Sequence[str], plugin: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__name__.removesuffix("Error")
        all_codes = list(dict.fromkeys([*COMMON_CODES, *codes]))
        # pyright reads `Enum(name, members)` with a computed name as a value lookup, not a class.
        members: type[enum.Enum] = enum.Enum(f"{name}ErrorCode", {c: c for c in all_codes})  # pyright: ignore[reportAssignmentType]
        code_enum = strawberry.enum(members, description=f"What went wrong in a {name.lower()} operation.")
        # Set before `@strawberry.type` runs on the finished class, as if written in its body.
        cls.__annotations__ = {"code": code_enum, "message": str, "field": Optional[str]}  # noqa: UP045
        fields = {
            "code": strawberry.field(description="Stable machine-readable error code."),
            "message": strawberry.field(description="Human-readable message in the request's language."),
            "field": strawberry.field(default=None, description="The input field at fault, if one is."),
        }
        for attribute, value in fields.items():
            setattr(cls, attribute, value)
        cls.code_enum = code_enum
        cls.handler = _error_handler(cls, code_enum, frozenset(all_codes), plugin)


def _error_handler(
    answer: type[PluginError], code_enum: type[enum.Enum], codes: frozenset[str], plugin: str
) -> strawberry.ExceptionHandler:
    """The handler answering `answer` for a `DomainError` whose code is one of `codes`."""

    class Handler(strawberry.ExceptionHandler):
        exception_type = DomainError
        error_type = answer

        def handle(self, exception: DomainError, *, field: Any, info: Any) -> Any:
            if exception.code not in codes:
                return None  # not ours: a top-level error
            message = info.context.message_in(plugin, exception.code, **exception.params)
            return answer(code=code_enum[exception.code], message=message, field=exception.field)

    Handler.__name__ = f"{answer.__name__}Handler"
    return Handler()


def plugin_error(name: str, codes: Sequence[str], description: str, *, plugin: str) -> tuple[Any, type, Any]:
    """`(enum, error type, handler)` for a `<name>Error` made at run time. Prefer subclassing
    `PluginError` (a class the type checker can see); this stays for plugins written before it."""
    error_type = strawberry.type(
        type(f"{name}Error", (PluginError,), {}, codes=codes, plugin=plugin), description=description
    )
    return error_type.code_enum, error_type, error_type.handler


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
    (production) no message says "Did you mean…". Prepared documents (schema/prepared.py) skip
    the extensions; their results are shaped by `shape_result` directly.
    """

    def __init__(self, *, hide_suggestions: bool = False, execution_context: Any = None) -> None:
        super().__init__(execution_context=execution_context)
        self.hide_suggestions = hide_suggestions
        self._streamed = False

    def on_operation(self) -> Iterator[None]:
        yield
        if not self._streamed:
            shape_result(self.execution_context.result, self.execution_context.context, self.hide_suggestions)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        self._streamed = True
        shape_result(result, self.execution_context.context, self.hide_suggestions)
        yield


def shape_result(result: Any, context: Any, hide_suggestions: bool) -> None:
    """Shape the top-level errors of `result` in place (see `ErrorShaper`)."""
    errors = getattr(result, "errors", None)
    if result is not None and errors:
        result.errors = [
            _without_suggestions(shape_error(error, context), hide_suggestions) for error in errors
        ]


def _without_suggestions(error: GraphQLError, hide_suggestions: bool) -> GraphQLError:
    if hide_suggestions and "Did you mean" in error.message:
        error.message = _SUGGESTION.sub("", error.message)
    return error


def shape_in_place(errors: list[GraphQLError], context: Any) -> None:
    """Shape errors that bypass `ErrorShaper` (a subscription refused before it streams) in place."""
    for error in errors:
        if "code" in (error.extensions or {}):
            continue
        shaped = shape_error(error, context)
        error.message, error.extensions = shaped.message, shaped.extensions


def shape_error(error: GraphQLError, context: Any) -> GraphQLError:
    """The error with an `extensions.code` and a translated message (unexpected ones masked)."""
    extensions = dict(error.extensions or {})
    domain = _domain_error(error)
    if domain is not None:
        extensions["code"] = domain.code
        if isinstance(domain, RateLimited | ServiceUnavailable):
            extensions["retryAfter"] = domain.retry_after
        if domain.field:
            extensions["field"] = domain.field
        # Only `EntitlementDenied` / `FeatureDisabled` carry these.
        for key in ("entitlement", "feature"):
            if value := getattr(domain, key, None):
                extensions[key] = value
        message = context.message_in(domain.plugin, domain.code, **domain.params) if context else domain.code
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
    dependency = dependency_of(error.original_error)
    if dependency is not None:
        return _unavailable(error, dependency, context)
    request_id = getattr(context, "request_id", "")
    logger.error("unexpected error (request %s)", request_id, exc_info=error.original_error)
    extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    message = context.message("INTERNAL_SERVER_ERROR", request_id=request_id) if context else "Internal error"
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=extensions)


def _unavailable(error: GraphQLError, dependency: str, context: Any) -> GraphQLError:
    """A dependency outage: `SERVICE_UNAVAILABLE` (the transport answers 503), logged once per
    outage by the monitor instead of once per request."""
    services = getattr(context, "services", None)
    retry_after = getattr(getattr(services, "settings", None), "retry_after_seconds", 5)
    if services is not None and services.outages is not None:
        services.outages.report(dependency, error.original_error)
    extensions = {"code": "SERVICE_UNAVAILABLE", "retryAfter": retry_after}
    params = {"retry_after": retry_after, "dependency": dependency}
    message = context.message("SERVICE_UNAVAILABLE", **params) if context else "Service unavailable"
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
