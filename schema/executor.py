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

import keyword
from collections.abc import Callable
from enum import Enum
from operator import attrgetter
from typing import Any, NamedTuple, cast

from graphql import (
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
)
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.row_builder import LEAF, OBJECT, OBJECT_LIST, Field, compile_rows

__all__ = ["LEAF", "OBJECT", "OBJECT_LIST", "PlainFieldExecutor", "Plan", "executor_class", "plan_table"]

#: Returned by the fast path when the normal executor must complete the field.
_MISS = object()
_PENDING = object()


class Plan(NamedTuple):
    """How to complete one plain attribute field."""

    kind: str
    #: source -> the field's value (strawberry's default resolver, without its wrapper when it is
    #: `getattr`).
    get: Callable[[Any], Any]
    return_type: Any
    nullable: bool
    #: Set for LEAF plans (typed loosely: each kind sets the members it uses).
    serialize: Any = None
    #: Set for OBJECT and OBJECT_LIST plans.
    object_type: Any = None
    item_type: Any = None
    item_nullable: bool = True
    #: Set for fields with a resolver (called with a resolve info; `get` is unused).
    field_def: Any = None
    #: The Python attribute `get` reads, when it is a plain `getattr` (generated code reads it).
    attribute: str | None = None


def _unwrap(type_: Any) -> tuple[Any, bool]:
    return (type_.of_type, False) if isinstance(type_, GraphQLNonNull) else (type_, True)


def _getter(field: Any) -> Callable[[Any], Any]:
    """What strawberry's basic-field resolver does for `field`, as one call: `getattr(source, name)`
    is `attrgetter(name)` when the field uses the default resolver; anything else keeps the wrapper."""
    resolve = field.resolve
    definition = (field.extensions or {}).get("strawberry-definition")
    if (
        definition is not None
        and getattr(resolve, "__name__", "") == "_get_basic_result"  # basic field, no error handler
        and getattr(definition, "default_resolver", None) is getattr
    ):
        return attrgetter(definition.python_name)
    return lambda source: resolve(source, None)


def _serializer(scalar: Any) -> Callable[[Any], Any]:
    """The scalar's `serialize`, with the common case answered first: a `str` for String and ID, an
    `int` in range for Int, a `bool` for Boolean are their own serialization (graphql-core's rule),
    and a member of a strawberry enum is its name (what strawberry's `serialize` looks up)."""
    serialize = scalar.serialize
    exact = _OWN_SERIALIZATION.get(scalar.name)
    if exact is not None:
        return lambda value: value if type(value) is exact else serialize(value)
    if scalar.name == "Int":
        return lambda value: (
            value if type(value) is int and _INT_MIN <= value <= _INT_MAX else serialize(value)
        )
    names = _enum_names(scalar)
    if names:
        wrapped = scalar.wrapped_cls

        def enum_name(value: Any) -> Any:
            if type(value) is wrapped:
                name = names.get(value)
                if name is not None:
                    return name
            return serialize(value)

        return enum_name
    return serialize


def _enum_names(scalar: Any) -> dict[Any, str] | None:
    """member -> name for a strawberry enum type (`wrapped_cls`), as its `serialize` finds them:
    the first GraphQL value whose value equals the member's."""
    wrapped = getattr(scalar, "wrapped_cls", None)
    if (
        not isinstance(scalar, GraphQLEnumType)
        or not isinstance(wrapped, type)
        or not issubclass(wrapped, Enum)
    ):
        return None
    names: dict[Any, str] = {}
    for member in wrapped:
        for name, value in scalar.values.items():
            if member.value == value.value:
                names[member] = name
                break
    return names


_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
#: Scalars whose values of exactly this Python type are their own serialization.
_OWN_SERIALIZATION = {"String": str, "ID": str, "Boolean": bool}


def _plan(field: Any) -> Plan | None:
    if field.args or field.resolve is None:
        return None
    # A resolver field keeps its resolver (called with a real resolve info); only the completion
    # of its value takes the fast path.
    plain = getattr(field.resolve, "_is_default", False)
    get = _getter(field) if plain else _unused_getter
    field_def = None if plain else field
    attribute = None
    if isinstance(get, attrgetter):
        name = field.extensions["strawberry-definition"].python_name
        attribute = name if name.isidentifier() and not keyword.iskeyword(name) else None
    output, nullable = _unwrap(field.type)
    if isinstance(output, GraphQLScalarType | GraphQLEnumType):
        serialize = _serializer(output)
        return Plan(
            LEAF, get, field.type, nullable, serialize=serialize, field_def=field_def, attribute=attribute
        )
    if isinstance(output, GraphQLObjectType):
        return Plan(
            OBJECT, get, field.type, nullable, object_type=output, field_def=field_def, attribute=attribute
        )
    if isinstance(output, GraphQLList):
        item, item_nullable = _unwrap(output.of_type)
        if isinstance(item, GraphQLObjectType):
            return Plan(
                OBJECT_LIST,
                get,
                field.type,
                nullable,
                object_type=item,
                item_type=output.of_type,
                item_nullable=item_nullable,
                field_def=field_def,
                attribute=attribute,
            )
    return None


def _unused_getter(source: Any) -> Any:
    raise AssertionError("a resolver field's value comes from its resolver")


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
    attributes = {"plans": plan_table(schema), "builders": BuilderCache(_MAX_BUILDERS)}
    return type("PlainFieldExecutor", (PlainFieldExecutor,), attributes)


#: Generated builders kept per schema (distinct selections of plain fields across documents).
_MAX_BUILDERS = 2048


class BuilderCache(dict):
    """Shape of a selection -> its generated builder, for one schema: compiling one (`exec`) costs
    far more than a request's use of it, so each is compiled once per process, not per request.
    Bounded: past `maxsize` shapes it starts again (shapes come from the documents clients send)."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def built(self, shape: Any, fields: tuple[Field, ...]) -> Any:
        """The builder for `shape`, compiled from `fields` the first time."""
        build = self.get(shape)
        if build is None:
            if len(self) >= self.maxsize:
                self.clear()
            build = self[shape] = compile_rows(fields, _MISS)
        return build


class PlainFieldExecutor(StrawberryGraphQLCoreExecutionContext):
    """Completes the `plans` fields in `execute_fields`; everything else is graphql-core's path."""

    plans: dict[str, dict[str, Plan]] = {}  # noqa: RUF012 - set once per schema by `executor_class`
    builders: BuilderCache = BuilderCache(0)  # set once per schema by `executor_class`

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: dict[str, Any],
        position_context: Any,
    ) -> Any:
        entries = None if position_context is not None else self._compiled(parent_type, grouped_field_set)
        if entries is None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        rest: dict[str, Any] = {}
        waiting: list[str] = []
        is_awaitable = self.is_awaitable
        try:
            for name, details, plan in entries:
                if plan is None:
                    rest[name] = details
                    results[name] = _PENDING
                    continue
                if plan.field_def is not None:
                    value = self._resolved_field(plan, source_value, path, name, details, parent_type)
                elif plan.kind is LEAF:
                    # Inline, not a helper call: this runs for every scalar of every row of a list.
                    try:
                        value = plan.get(source_value)
                        if value is not None:
                            value = plan.serialize(value)
                            if value is None or value is Undefined:
                                value = _MISS
                        elif not plan.nullable:
                            value = _MISS
                    except Exception:  # noqa: BLE001 - the normal path reports it as a field error
                        value = _MISS
                    if value is _MISS:
                        rest[name] = details
                        results[name] = _PENDING
                    else:
                        results[name] = value  # a serialized leaf is never awaitable
                    continue
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

    def _compiled(self, parent_type: GraphQLObjectType, grouped_field_set: dict[str, Any]) -> Any:
        """(response name, field details, plan or None) per field of a selection on `parent_type`,
        or None when the fast path does not apply. Worked out once per selection and request, not
        once per row: graphql-core memoizes the selections of a list's items (`collect_subfields`),
        so every row brings the same `grouped_field_set`; like graphql-core's own memo, the entry
        keeps that dict alive so that its id is not reused during the execution."""
        memo = self.__dict__.get("_compiled_memo")
        if memo is None:
            memo = self.__dict__["_compiled_memo"] = {}
        key = (parent_type.name, id(grouped_field_set))
        found = memo.get(key)
        if found is None:
            plans = self.plans.get(parent_type.name)
            entries = None
            if plans is not None and not _resolution_hooked(self.middleware_manager):
                entries = tuple(
                    (name, details, plans.get(details[0].node.name.value))
                    for name, details in grouped_field_set.items()
                )
            found = memo[key] = (grouped_field_set, entries)
        return found[1]

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
            value = plan.get(source)
        except Exception:  # noqa: BLE001 - the normal path reports it
            return _MISS
        return self._object_value(plan, value, details, Path(path, name, parent_type.name))

    def _resolved_field(
        self, plan: Plan, source: Any, path: Any, name: str, details: Any, parent_type: Any
    ) -> Any:
        """A field with a resolver, as graphql-core's `execute_field` runs it (same resolve info,
        same error handling) for a field without arguments and middleware; a value that is there
        at once is completed by the fast path, anything else by graphql-core."""
        node = details[0].node
        if node.arguments or any(d.node.directives for d in details):
            return _MISS
        field_def = plan.field_def
        field_path = Path(path, name, parent_type.name)
        info = self.build_resolve_info(field_def, to_nodes(details), parent_type, field_path)
        try:
            result = field_def.resolve(source, info)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    plan.return_type, details, info, field_path, result, None
                )
            completed = _MISS
            if plan.kind is LEAF:
                if result is not None:
                    serialized = plan.serialize(result)
                    if serialized is not None and serialized is not Undefined:
                        completed = serialized
                elif plan.nullable:
                    completed = None
            else:
                completed = self._object_value(plan, result, details, field_path)
            if completed is _MISS:  # a bad value: graphql-core's completion reports it
                completed = self.complete_value(plan.return_type, details, info, field_path, result, None)
            return self._guard(completed, plan.return_type, details, field_path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, plan.return_type, details, field_path)
            return None

    def _object_value(self, plan: Plan, value: Any, details: Any, field_path: Any) -> Any:
        """An object (or list of objects) value completed by executing its sub-selection, or `_MISS`
        when the normal path must complete it (null in a non-null place, a wrong type...)."""
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
        build = self._row_builder(plan.object_type, grouped)
        try:
            for index, item in enumerate(value):
                if item is None:
                    completed.append(None)
                    continue
                if build is not None:
                    # Items whose selected fields are all plain: one call per item, no paths.
                    built = build(item)
                    if built is not _MISS:
                        completed.append(built)
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

    def _row_builder(self, object_type: GraphQLObjectType, grouped: dict[str, Any]) -> Any:
        """The function (schema/row_builder.py) that builds an object of `object_type` for the
        selection `grouped` in one call, when every selected field is a plain attribute (leaves,
        and objects or lists of objects whose own selections are plain too); None otherwise.
        Looked up once per selection and request; compiled once per shape and process."""
        found = self._row_entry(object_type, grouped)
        return found[1]

    def _row_entry(self, object_type: GraphQLObjectType, grouped: dict[str, Any]) -> tuple[Any, Any, Any]:
        """(grouped, builder or None, shape or None) of a selection, memoized per request."""
        memo = self.__dict__.get("_rows_memo")
        if memo is None:
            memo = self.__dict__["_rows_memo"] = {}
        key = (object_type.name, id(grouped))
        found = memo.get(key)
        if found is None:
            memo[key] = (grouped, None, None)  # a recursive selection is not built this way
            plain = self._plain_fields(object_type, grouped)
            if plain is None:
                found = (grouped, None, None)
            else:
                fields, shape = plain
                found = (grouped, self.builders.built(shape, fields), shape)
            memo[key] = found
        return found

    def _plain_fields(
        self, object_type: GraphQLObjectType, grouped: dict[str, Any]
    ) -> tuple[tuple[Field, ...], Any] | None:
        """The selection's fields and its shape (what the generated code depends on: the plans,
        which live as long as the schema, by identity, and the nested shapes), or None."""
        entries = self._compiled(object_type, grouped)
        if entries is None:
            return None
        fields: list[Field] = []
        shape: list[Any] = [object_type.name]
        for name, details, plan in entries:
            if plan is None or plan.field_def is not None:
                return None
            if plan.kind is LEAF:
                scalar, _ = _unwrap(plan.return_type)
                exact = _OWN_SERIALIZATION.get(scalar.name) if isinstance(scalar, GraphQLScalarType) else None
                fields.append(
                    Field(
                        name,
                        LEAF,
                        plan.get,
                        plan.nullable,
                        serialize=plan.serialize,
                        exact=exact,
                        attribute=plan.attribute,
                        scalar=scalar.name if isinstance(scalar, GraphQLScalarType) else None,
                    )
                )
                shape.append((name, id(plan)))
                continue
            if any(d.node.directives for d in details):
                return None
            sub_grouped, defer_usages, _ = self.collect_subfields(plan.object_type, details)
            if defer_usages:
                return None
            _, nested, nested_shape = self._row_entry(plan.object_type, sub_grouped)
            if nested is None:
                return None
            shape.append((name, id(plan), nested_shape))
            fields.append(
                Field(
                    name,
                    plan.kind,
                    plan.get,
                    plan.nullable,
                    build=nested,
                    is_type_of=plan.object_type.is_type_of,
                    items_nullable=plan.item_nullable,
                    attribute=plan.attribute,
                )
            )
        return tuple(fields), tuple(shape)

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
