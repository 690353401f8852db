"""Assemble the GraphQL schema from the plugins' `register_schema` contributions.

Contributions are merged in plugin-name order (a deterministic SDL); two plugins contributing the same
root field or type name stop start-up with an error naming both. A plugin's `entitlement` gates all
of its root fields with `RequiresEntitlement`, and its kill-switch flag with `RequiresFeature`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import DEFAULT_ALLOWED_OPERATION_TYPES
from strawberry.types import ExecutionResult
from strawberry.types.base import StrawberryContainer
from strawberry.types.graphql import OperationType
from strawberry.types.lazy_type import LazyType
from strawberry.types.union import StrawberryUnion
from strawberry.utils.str_converters import to_camel_case

from core.contributions import NodeType, SchemaContribution
from core.plugins import plugin_results
from schema.direct_resolvers import direct_resolvers
from schema.errors import ErrorShaper, shape_in_place, shape_result
from schema.executor import executor_class
from schema.inputs import CheckedValidation
from schema.limits import complexity_rule
from schema.permissions import EntitlementRequired, FeatureUnavailable, gate_feature, gate_field
from schema.prepared import (
    PreparedDocuments,
    RememberPrepared,
    ResultHook,
    execute_prepared,
    prepared_path_applies,
)
from schema.relay import Node, NodeQuery, PageInfo

ROOTS = ("query", "mutation", "subscription")


class SchemaCollision(RuntimeError):
    """Two plugins contribute the same root field or type name."""


def _root_fields(contribution: SchemaContribution, root: str) -> list[Any]:
    return [field for part in contribution.roots(root) for field in part.__strawberry_definition__.fields]


def _named_types(start: Iterable[Any]) -> dict[str, Any]:
    """Every named type reachable from `start` (fields, arguments, unions, lazy types)."""
    seen: dict[str, Any] = {}
    names = NameConverter()
    stack = list(start)
    while stack:
        current = stack.pop()
        if isinstance(current, LazyType):
            current = current.resolve_type()
        if isinstance(current, StrawberryContainer):
            stack.append(current.of_type)
            continue
        if isinstance(current, StrawberryUnion):
            if current.graphql_name and current.graphql_name not in seen:
                seen[current.graphql_name] = current
            stack.extend(current.types)
            continue
        definition = getattr(current, "__strawberry_definition__", None)
        if definition is None:
            continue
        name = getattr(definition, "name", None)
        if getattr(definition, "is_input", None) is False and not definition.is_graphql_generic:
            # A specialised generic (`Connection[Ticket]`) keeps the generic's name on its
            # definition; strawberry names it `TicketConnection`, so check that name.
            name = names.from_object(definition)
        if not name or name in seen:
            continue
        seen[name] = current
        for field in getattr(definition, "fields", None) or []:
            stack.append(field.type)
            stack.extend(argument.type for argument in field.arguments)
    return seen


def check_collisions(contributions: list[tuple[str, SchemaContribution]]) -> None:
    """Raise `SchemaCollision` naming both plugins for a repeated root field or type name."""
    for root in ROOTS:
        owners: dict[str, str] = {}
        for plugin, contribution in contributions:
            for field in _root_fields(contribution, root):
                name = field.graphql_name or to_camel_case(field.python_name)
                if name in owners:
                    raise SchemaCollision(
                        f"plugins {owners[name]!r} and {plugin!r} both contribute {root} field {name!r}"
                    )
                owners[name] = plugin
    type_owners: dict[str, tuple[str, Any]] = {}
    for plugin, contribution in contributions:
        fields = [f for root in ROOTS for f in _root_fields(contribution, root)]
        start = (
            [f.type for f in fields]
            + [a.type for f in fields for a in f.arguments]
            + list(contribution.types)
        )
        for name, obj in _named_types(start).items():
            owner = type_owners.get(name)
            if owner and owner[1] is not obj and owner[0] != plugin:
                raise SchemaCollision(f"plugins {owner[0]!r} and {plugin!r} both define type {name!r}")
            type_owners.setdefault(name, (plugin, obj))


class SelfserveSchema(strawberry.Schema):
    """strawberry's schema without its default error logging: `ErrorShaper` logs unexpected errors
    once, with the request id, and domain errors are not log-worthy (nor their PII). Errors of a
    subscription refused at subscribe time are shaped here (no extension sees them).

    A query text that has passed every check before execution once runs as a prepared document
    afterwards (schema/prepared.py): graphql-core's execution without the extension pipeline."""

    #: Relay node types by GraphQL type name, for `node(id:)` (set by `build_schema`).
    node_types: dict[str, NodeType]
    #: Accepted documents by query text, the request-dependent limit, and what runs on their
    #: results in place of the extensions (`ErrorShaper`'s shaping, then the observer's record).
    prepared: PreparedDocuments
    max_input_depth: int
    result_hooks: list[ResultHook]

    async def execute(  # type: ignore[override]
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        document = self.prepared.get(query) if query and not operation_extensions else None
        if document is not None and self._prepared_applies:
            result = await execute_prepared(
                self,
                document,
                variable_values=variable_values,
                context_value=context_value,
                root_value=root_value,
                operation_name=operation_name,
                allowed_operation_types=DEFAULT_ALLOWED_OPERATION_TYPES
                if allowed_operation_types is None
                else allowed_operation_types,
                max_input_depth=self.max_input_depth,
                result_hooks=self.result_hooks,
            )
            if result is not None:
                return result
        return await super().execute(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            allowed_operation_types,
            operation_extensions,
        )

    @functools.cached_property
    def _prepared_applies(self) -> bool:
        # Decided at the first request, once `selfserve.observe.install` added its extension.
        return prepared_path_applies(self)

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        # Errors of a subscription refused before it streams skip the extensions: shape them here.
        if errors and _is_subscription(execution_context):
            shape_in_place(errors, getattr(execution_context, "context", None))


def _is_subscription(execution_context: Any) -> bool:
    if getattr(execution_context, "graphql_document", None) is None:
        return False
    try:
        return execution_context.operation_type.value == "subscription"
    except Exception:  # noqa: BLE001 - an ambiguous document is no subscription
        return False


def _shape_prepared(context: Any, _document: Any, _name: Any, result: Any, *, hide_suggestions: bool) -> None:
    shape_result(result, context, hide_suggestions)


def _merge(name: str, roots: list[type]) -> type:
    return strawberry.type(type(name, tuple(roots), {}))


def schema_extensions(settings: Any) -> list[Any]:
    """Schema extensions as factories (never shared instances): caches, limits, error shaping."""
    extensions: list[Any] = [
        RememberPrepared,
        functools.partial(ParserCache, maxsize=settings.parser_cache_size),
        functools.partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        functools.partial(
            AddValidationRules,
            [
                complexity_rule(
                    settings.max_query_depth, settings.max_aliases, settings.max_mutations_per_request
                )
            ],
        ),
        functools.partial(
            CheckedValidation, maxsize=settings.parser_cache_size, max_depth=settings.max_input_depth
        ),
        functools.partial(ErrorShaper, hide_suggestions=settings.is_production),
    ]
    if settings.is_production:
        extensions.insert(0, DisableIntrospection)
    return extensions


def build_schema(pm: Any, settings: Any) -> SelfserveSchema:
    """Build the deployment's schema; `schema.node_types` maps type names to `NodeType`s."""
    contributions = [
        (plugin, contribution)
        for plugin, contribution in plugin_results(pm, "register_schema", pm=pm)
        if isinstance(contribution, SchemaContribution)
    ]
    core = (
        "",
        SchemaContribution(query=NodeQuery, types=(EntitlementRequired, FeatureUnavailable, PageInfo, Node)),
    )
    check_collisions([core, *contributions])
    for plugin, contribution in contributions:
        for root in ROOTS:
            for field in _root_fields(contribution, root):
                if contribution.entitlement:
                    gate_field(field, contribution.entitlement)
                if contribution.kill_switch:
                    gate_feature(field, plugin)  # last: the kill switch is checked first

    roots = {root: [part for _, c in [core, *contributions] for part in c.roots(root)] for root in ROOTS}
    types: list[Any] = []
    handlers: list[Any] = []
    node_types: dict[str, NodeType] = {}
    for _, contribution in [core, *contributions]:
        types.extend(contribution.types)
        handlers.extend(contribution.exception_handlers)
        node_types.update({node.type_name: node for node in contribution.nodes})

    schema = SelfserveSchema(
        query=_merge("Query", roots["query"]),  # never empty: the core contributes `node`
        mutation=_merge("Mutation", roots["mutation"]) if roots["mutation"] else None,
        subscription=_merge("Subscription", roots["subscription"]) if roots["subscription"] else None,
        types=list(dict.fromkeys(types)),
        extensions=schema_extensions(settings),
        config=StrawberryConfig(disable_field_suggestions=settings.is_production),
        exception_handlers=handlers,
    )
    schema.node_types = node_types
    schema.prepared = PreparedDocuments(settings.parser_cache_size)
    schema.max_input_depth = settings.max_input_depth
    schema.result_hooks = [functools.partial(_shape_prepared, hide_suggestions=settings.is_production)]
    # Plain resolvers are called without strawberry's wrapper layers (schema/direct_resolvers.py),
    # plain attribute fields skip graphql-core's per-field machinery (schema/executor.py).
    direct_resolvers(schema)
    schema.execution_context_class = executor_class(schema._schema)
    return schema
