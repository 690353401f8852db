"""Prepared documents: a query text that already passed every pre-execution check runs without
strawberry's extension pipeline the next time it is sent.

strawberry runs each request through its extension lifecycle: it builds every schema extension
(six here), four hook contexts that look up every extension's hooks, the parser and validation
caches (the latter hashes the whole document tree), the token limiter and the validation rules.
For a document it has already accepted, all of that gives the same answer again: parsing,
the token limit, validation (complexity, introspection, the document's string literals) depend
only on the text and the schema. So the first time a text reaches execution (`RememberPrepared`
sees it only once everything before execution passed), its parsed document is kept in a bounded
LRU; the next request with that text goes straight to graphql-core's `execute` with the same
executor class, after the checks that depend on the request:

- the operation picked by `operationName` exists and its type is allowed on this transport;
- the variables pass `check_variables` (their depth and text);
- no `operation_extensions` were sent.

Anything else, or any doubt, takes strawberry's path, which answers errors as it always has.
After execution the errors get what the extensions give them on the normal path: the schema's
`_process_errors`, then the `result_hooks` (error shaping, the observer), in that order.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, cast

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, get_operation_ast
from strawberry.execution import optimized_is_awaitable
from strawberry.extensions import SchemaExtension
from strawberry.schema._graphql_core import execute, execution_context_class_kwargs
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.await_maybe import await_maybe

from core.errors import DomainError
from schema.inputs import check_variables

#: (context, document, name of the executed operation, result) -> None; may replace `result.errors`.
ResultHook = Callable[[Any, DocumentNode | None, str | None, Any], None]


class PreparedDocuments:
    """Query text -> parsed document that passed parsing and validation, least recently used out."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, query: str) -> DocumentNode | None:
        document = self._documents.get(query)
        if document is not None:
            self._documents.move_to_end(query)
        return document

    def add(self, query: str, document: DocumentNode) -> None:
        self._documents[query] = document
        self._documents.move_to_end(query)
        while len(self._documents) > self.maxsize:
            self._documents.popitem(last=False)

    def clear(self) -> None:
        """Forget every document (they are prepared again on their next normal-path run)."""
        self._documents.clear()

    def __len__(self) -> int:
        return len(self._documents)


class RememberPrepared(SchemaExtension):
    """Keeps a document in its schema's `prepared` once it reaches execution: every check before
    execution passed."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        documents = getattr(context.schema, "prepared", None)
        if (
            documents is not None
            and context.query
            and context.graphql_document is not None
            and not context.operation_extensions
        ):
            documents.add(context.query, context.graphql_document)
        yield


def _extension_class(factory: Any) -> Any:
    return factory.func if isinstance(factory, functools.partial) else factory


def prepared_path_applies(schema: Any) -> bool:
    """False when something hooks field resolution (a resolve middleware, schema directives): the
    prepared path passes no middleware, so those schemas always take strawberry's path."""
    if schema.directives:
        return False
    for factory in schema.extensions:
        cls = factory if isinstance(factory, SchemaExtension) else _extension_class(factory)
        if getattr(cls, "resolve", SchemaExtension.resolve) is not SchemaExtension.resolve:
            return False
    return True


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    """The operation graphql-core will execute (None: none, or several and no name)."""
    operation = get_operation_ast(document, operation_name)
    return operation if isinstance(operation, OperationDefinitionNode) else None


async def execute_prepared(
    schema: Any,
    document: DocumentNode,
    *,
    variable_values: dict[str, Any] | None,
    context_value: Any,
    root_value: Any,
    operation_name: str | None,
    allowed_operation_types: Any,
    max_input_depth: int,
    result_hooks: list[ResultHook],
) -> ExecutionResult | None:
    """Execute an accepted `document`, or None when the request must take strawberry's path."""
    operation = _operation(document, operation_name)
    if operation is None:
        return None
    kind = OperationType(operation.operation.value)
    if kind not in allowed_operation_types or kind is OperationType.SUBSCRIPTION:
        return None
    try:
        check_variables(variable_values or {}, max_input_depth)
    except DomainError:
        return None  # strawberry's path reports it, as the validation extension does
    try:
        result = await await_maybe(
            execute(
                schema._schema,
                document,
                root_value=root_value,
                variable_values=variable_values,
                operation_name=operation_name,
                context_value=context_value,
                # strawberry's check, typed as a plain bool function (graphql-core wants a TypeGuard)
                is_awaitable=cast(Any, optimized_is_awaitable),
                **execution_context_class_kwargs(schema.execution_context_class),
                operation_extensions=None,
            )
        )
        answer = ExecutionResult(data=result.data, errors=result.errors, extensions={})
    except Exception as error:  # noqa: BLE001 - as strawberry's `execute` answers it
        wrapped = error if isinstance(error, GraphQLError) else GraphQLError(str(error), original_error=error)
        answer = ExecutionResult(data=None, errors=[wrapped], extensions={})
    if answer.errors:
        schema._process_errors(answer.errors, None)
    executed = operation.name.value if operation.name else None
    for hook in result_hooks:
        hook(context_value, document, executed, answer)
    return answer
