"""A faster executor: plain attribute leaves are completed without graphql-core's per-field machinery.

graphql-core resolves every field the same way: a `Path`, a resolve-info object, the resolver,
then `complete_value` dispatching on the return type. For a strawberry field without a resolver,
extensions or permission classes (strawberry marks its resolver `_is_default`) whose type is a
scalar or an enum, all of that amounts to `serialize(getattr(source, name))`. `leaf_table` finds
those fields once per schema; the executor completes them directly and hands every other field,
and any leaf whose value would be an error (null in a non-null field, a value the scalar refuses),
to the normal executor, which then reports the error exactly as before. Nothing changes when a
schema extension hooks field resolution (graphql-core middleware): then every field runs normally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema
from graphql.pyutils import Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


class Leaf(NamedTuple):
    """How to complete one plain attribute leaf."""

    resolve: Callable[..., Any]
    serialize: Callable[[Any], Any]
    nullable: bool


def leaf_table(schema: GraphQLSchema) -> dict[str, dict[str, Leaf]]:
    """type name -> field name -> `Leaf`, for every plain attribute scalar or enum field."""
    table: dict[str, dict[str, Leaf]] = {}
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        leaves = {}
        for name, field in type_.fields.items():
            if not getattr(field.resolve, "_is_default", False) or field.args:
                continue
            output = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if isinstance(output, GraphQLScalarType | GraphQLEnumType):
                leaves[name] = Leaf(
                    field.resolve, output.serialize, not isinstance(field.type, GraphQLNonNull)
                )
        if leaves:
            table[type_.name] = leaves
    return table


def executor_class(schema: GraphQLSchema) -> type[StrawberryGraphQLCoreExecutionContext]:
    """strawberry's execution context with the leaves of `schema` completed directly."""
    return type("LeafExecutor", (LeafExecutor,), {"leaves": leaf_table(schema)})


class LeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """Completes `leaves` in `execute_fields`; everything else is graphql-core's own path."""

    leaves: dict[str, dict[str, Leaf]] = {}  # noqa: RUF012 - set once per schema by `executor_class`

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: dict[str, Any],
        position_context: Any,
    ) -> Any:
        leaves = self.leaves.get(parent_type.name)
        if leaves is None or self.middleware_manager is not None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        done: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        for response_name, details in grouped_field_set.items():
            leaf = leaves.get(details[0].node.name.value)
            if leaf is not None:
                try:
                    value = leaf.resolve(source_value, None)
                    if value is None:
                        if leaf.nullable:
                            done[response_name] = None
                            continue
                    else:
                        serialized = leaf.serialize(value)
                        if serialized is not None and serialized is not Undefined:
                            done[response_name] = serialized
                            continue
                except Exception:  # noqa: BLE001, S110 - the normal path reports it as a field error
                    pass
            rest[response_name] = details
        if not rest:
            return done
        others = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if self.is_awaitable(others):
            return _merged_later(grouped_field_set, done, others)
        return _merged(grouped_field_set, done, others)


def _merged(order: dict[str, Any], done: dict[str, Any], others: dict[str, Any]) -> dict[str, Any]:
    """Both halves in the order of the query's fields (a field that resolved to nothing is absent)."""
    if not done:
        return others
    merged = {}
    for name in order:
        if name in done:
            merged[name] = done[name]
        elif name in others:
            merged[name] = others[name]
    return merged


async def _merged_later(order: dict[str, Any], done: dict[str, Any], others: Any) -> dict[str, Any]:
    return _merged(order, done, await others)
