"""One check of everything a client sends as input, for every operation and transport (HTTP and
websocket): variables and the document's string literals.

- Text may not hold NUL (PostgreSQL cannot store it) or a lone UTF-16 surrogate (it cannot be
  encoded as UTF-8, so neither database nor a JSON response can carry it): the typed top-level
  error `INVALID_TEXT` names the variable at fault.
- Variables may not nest deeper than `max_depth` (`QUERY_TOO_COMPLEX`), so no later recursive step
  (coercion, a JSON scalar, a resolver) can run out of stack.

It runs as part of validation (`CheckedValidation` replaces strawberry's `ValidationCache`), so a
bad input is a request error answered before variable coercion or any resolver sees it, on every
transport (the websocket handler answers pre-execution errors with an `error` message).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import ValidationCache

from core.errors import DomainError

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class InvalidText(DomainError):
    """A text input holds NUL or a lone surrogate."""

    code = "INVALID_TEXT"


def bad_text(value: str) -> bool:
    """True when `value` holds NUL or a surrogate (Python strings hold a pair as one code point,
    so any surrogate left in a `str` is unpaired)."""
    return _BAD_TEXT.search(value) is not None


def check_variables(variables: Any, max_depth: int) -> None:
    """Raise `InvalidText` or a `QUERY_TOO_COMPLEX` error for bad variables (iterative walk)."""
    stack: list[tuple[Any, str, int]] = [(variables, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > max_depth:
            raise DomainError("QUERY_TOO_COMPLEX", detail=f"variables nest deeper than {max_depth}")
        if isinstance(value, str):
            if bad_text(value):
                raise InvalidText(field=path or None)
        elif isinstance(value, dict):
            for key, item in value.items():
                key_path = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and bad_text(key):
                    raise InvalidText(field=None)
                stack.append((item, key_path, depth + 1))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, f"{path}.{index}", depth + 1) for index, item in enumerate(value))


class _StringLiterals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.bad = False

    def enter_string_value(self, node: StringValueNode, *_: Any) -> Any:
        if bad_text(node.value):
            self.bad = True
            return self.BREAK
        return None


def check_document(document: DocumentNode | None) -> None:
    """Raise `InvalidText` when a string literal in the document holds NUL or a lone surrogate
    (GraphQL escapes such as `\\u0000` make them)."""
    if document is None:
        return
    literals = _StringLiterals()
    visit(document, literals)
    if literals.bad:
        raise InvalidText(field=None)


@functools.cache
def _checked_documents(maxsize: int) -> Any:
    """`check_document` remembered per parsed document (the parser cache hands out the same
    document object for the same query text), shared by every request like the validation cache;
    a bad document raises each time (exceptions are not cached)."""
    return functools.lru_cache(maxsize=maxsize)(check_document)


class CheckedValidation(ValidationCache):
    """strawberry's cached validation, then (for a valid document) the input checks above."""

    def __init__(self, *, maxsize: int, max_depth: int = 32) -> None:
        super().__init__(maxsize=maxsize)
        self.max_depth = max_depth
        self.cached_check_document = _checked_documents(maxsize)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        errors = self.cached_validate_document(
            context.schema._schema, context.graphql_document, context.validation_rules
        )
        if not errors:
            try:
                check_variables(context.variables or {}, self.max_depth)
                self.cached_check_document(context.graphql_document)
            except DomainError as error:
                errors = [GraphQLError(error.code, original_error=error)]
        context.pre_execution_errors = errors
        yield
