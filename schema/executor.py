"""A faster executor: plain attribute fields are completed without graphql-core's per-field machinery.

graphql-core resolves every field the same way: a resolve-info object, the resolver (strawberry's
wrapper around `getattr`), then `complete_value` dispatching on the return type. For a strawberry
field without a resolver, extensions or permission classes (strawberry marks its resolver
`_is_default`) that is a lot of work for `getattr(source, name)`. `plan_table` finds those fields
once per schema:

- scalar and enum leaves are completed as `serialize(getattr(source, name))`;
- object fields (and lists of objects) of a concrete object type are checked (`is_type_of`, null
  in a non-null position) and their sub-selection executed directly by `execute_fields`.

Everything else (resolvers, abstract types, directives on the field, `@defer` / `@stream`, schema
extensions hooking field resolution) runs through the normal executor, and so does any plain field
whose value would be an error (null in a non-null field, a value the scalar refuses, a wrong
object type): the normal path then reports it exactly as before, with the same path and message.
Errors raised below a plain object field are handled as graphql-core's `execute_field` and
`complete_list_item_value` handle them (same null propagation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple, cast

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

LEAF, OBJECT, OBJECT_LIST = "leaf", "object", "list"
#: Returned by the fast path when the normal executor must complete the field.
_MISS = object()
_PENDING = object()


class Plan(NamedTuple):
    """How to complete one plain attribute field."""

    kind: str
    resolve: Callable[..., Any]
    return_type: Any
    nullable: bool
    #: Set for LEAF plans (typed loosely: each kind sets the members it uses).
    serialize: Any = None
    #: Set for OBJECT and OBJECT_LIST plans.
    object_type: Any = None
    item_type: Any = None
    item_nullable: bool = True


def _unwrap(type_: Any) -> tuple[Any, bool]:
    return (type_.of_type, False) if isinstance(type_, GraphQLNonNull) else (type_, True)


def _plan(field: Any) -> Plan | None:
    if not getattr(field.resolve, "_is_default", False) or field.args:
        return None
    output, nullable = _unwrap(field.type)
    if isinstance(output, GraphQLScalarType | GraphQLEnumType):
        return Plan(LEAF, field.resolve, field.type, nullable, serialize=output.serialize)
    if isinstance(output, GraphQLObjectType):
        return Plan(OBJECT, field.resolve, field.type, nullable, object_type=output)
    if isinstance(output, GraphQLList):
        item, item_nullable = _unwrap(output.of_type)
        if isinstance(item, GraphQLObjectType):
            return Plan(
                OBJECT_LIST,
                field.resolve,
                field.type,
                nullable,
                object_type=item,
                item_type=output.of_type,
                item_nullable=item_nullable,
            )
    return None


def plan_table(schema: GraphQLSchema) -> dict[str, dict[str, Plan]]:
    """type name -> field name -> `Plan`, for every plain attribute field the fast path completes."""
    table: dict[str, dict[str, Plan]] = {}
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        plans = {name: plan for name, field in type_.fields.items() if (plan := _plan(field)) is not None}
        if plans:
            table[type_.name] = plans
    return table


def executor_class(schema: GraphQLSchema) -> type[StrawberryGraphQLCoreExecutionContext]:
    """strawberry's execution context with the plain fields of `schema` completed directly."""
    return type("PlainFieldExecutor", (PlainFieldExecutor,), {"plans": plan_table(schema)})


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """Completes the `plans` fields in `execute_fields`; everything else is graphql-core's path."""

    plans: dict[str, dict[str, Plan]] = {}  # noqa: RUF012 - set once per schema by `executor_class`

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: dict[str, Any],
        position_context: Any,
    ) -> Any:
        plans = self.plans.get(parent_type.name)
        if plans is None or position_context is not None or _resolution_hooked(self.middleware_manager):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        waiting: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for name, details in grouped_field_set.items():
                plan = plans.get(details[0].node.name.value)
                value = _MISS
                if plan is not None:
                    if plan.kind == LEAF:
                        value = _leaf(plan, source_value)
                    else:
                        value = self._object_field(plan, source_value, path, name, details, parent_type)
                if value is _MISS:
                    rest[name] = details
                    results[name] = _PENDING
                    continue
                results[name] = value
                if is_awaitable(value):
                    waiting.append(name)
            others = (
                super().execute_fields(parent_type, source_value, path, rest, position_context)
                if rest
                else {}
            )
        except Exception:
            if waiting:
                self.settle_in_background([results[name] for name in waiting])
            raise
        if not waiting and not is_awaitable(others):
            return _merge(results, rest, cast(dict[str, Any], others))
        return self._later(results, rest, others, waiting)

    async def _later(self, results: dict, rest: dict, others: Any, waiting: list[str]) -> dict[str, Any]:
        awaitables = [results[name] for name in waiting]
        if self.is_awaitable(others):
            awaitables.append(others)
        done = await gather_with_cancel(*awaitables)
        results.update(zip(waiting, done, strict=False))
        return _merge(results, rest, cast(dict[str, Any], done[-1] if self.is_awaitable(others) else others))

    def _object_field(
        self, plan: Plan, source: Any, path: Any, name: str, details: Any, parent_type: Any
    ) -> Any:
        """An object (or list of objects) field, or `_MISS` when the normal path must run it."""
        if any(d.node.directives for d in details):
            return _MISS  # @stream and the like: graphql-core's business
        try:
            value = plan.resolve(source, None)
        except Exception:  # noqa: BLE001 - the normal path reports it
            return _MISS
        if value is None:
            return None if plan.nullable else _MISS
        object_type = plan.object_type
        is_type_of = object_type.is_type_of
        items = value if plan.kind == OBJECT_LIST else (value,)
        if plan.kind == OBJECT_LIST and not isinstance(value, list | tuple):
            return _MISS
        for item in items:
            if item is None:
                if plan.kind == OBJECT or not plan.item_nullable:
                    return _MISS
            elif is_type_of is not None and is_type_of(item, None) is not True:
                return _MISS
        grouped, new_defer_usages, _ = self.collect_subfields(object_type, details)
        if new_defer_usages:
            return _MISS
        field_path = Path(path, name, parent_type.name)
        try:
            if plan.kind == OBJECT:
                return self._guard(
                    self.execute_fields(object_type, value, field_path, grouped, None),
                    plan.return_type,
                    details,
                    field_path,
                )
            return self._list(plan, value, grouped, details, field_path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.return_type, details, field_path)
            return None

    def _list(self, plan: Plan, value: Any, grouped: Any, details: Any, field_path: Any) -> Any:
        completed: list[Any] = []
        waiting: list[int] = []
        try:
            for index, item in enumerate(value):
                if item is None:
                    completed.append(None)
                    continue
                item_path = Path(field_path, index, None)
                try:
                    result = self.execute_fields(plan.object_type, item, item_path, grouped, None)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, plan.item_type, details, item_path)
                    result = None
                if self.is_awaitable(result):
                    result = self._guard(result, plan.item_type, details, item_path)
                    waiting.append(index)
                completed.append(result)
        except Exception:
            if waiting:
                self.settle_in_background([completed[i] for i in waiting])
            raise
        if not waiting:
            return completed
        return self._guard(self._list_later(completed, waiting), plan.return_type, details, field_path)

    async def _list_later(self, completed: list[Any], waiting: list[int]) -> list[Any]:
        for index, result in zip(
            waiting, await gather_with_cancel(*(completed[i] for i in waiting)), strict=True
        ):
            completed[index] = result
        return completed

    def _guard(self, result: Any, return_type: Any, details: Any, path: Any) -> Any:
        """An awaitable result whose failure is handled like graphql-core's `await_completed`."""
        if not self.is_awaitable(result):
            return result

        async def guarded() -> Any:
            try:
                return await result
            except Exception as raw_error:
                self.handle_field_error(raw_error, return_type, details, path)
                return None

        return guarded()


def _resolution_hooked(manager: Any) -> bool:
    """True when some middleware (a schema extension's `resolve`) wraps field resolution."""
    return manager is not None and getattr(manager, "_middleware_resolvers", None) is not None


def _leaf(plan: Plan, source: Any) -> Any:
    try:
        value = plan.resolve(source, None)
        if value is None:
            return None if plan.nullable else _MISS
        serialized = plan.serialize(value)
    except Exception:  # noqa: BLE001 - the normal path reports it as a field error
        return _MISS
    return _MISS if serialized is None or serialized is Undefined else serialized


def _merge(results: dict[str, Any], rest: dict[str, Any], others: dict[str, Any]) -> dict[str, Any]:
    """Fill the placeholders of the normally executed fields, in the query's order (a field that
    resolved to nothing is left out, as graphql-core does)."""
    if not rest:
        return results
    if len(rest) == len(results):
        return others
    for name in rest:
        if name in others:
            results[name] = others[name]
        else:
            del results[name]
    return results
