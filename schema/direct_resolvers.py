"""Resolvers called directly: strawberry's resolver wrapper without the layers a plain resolver never uses.

For every field with a resolver, strawberry's wrapper builds its `Info`, converts the (possibly
empty) arguments, lets field extensions map them, chains the extensions with `functools.reduce` and
`partial`, asks the field for its result, which calls the resolver object, which calls the function.
A resolver like `HelpArticle.category(self, info)` — no arguments, no extensions (so no permission
classes or `requires`), no exception handler that could apply — needs only the first and the last of
those steps, and lists run it once per row: it is most of what a list of 36 articles costs.

`direct_resolvers` replaces the graphql-core `resolve` of exactly those fields, once per schema, by
a function that builds the same `Info` and calls the resolver function with the same parameters
(self, root/parent, info) as strawberry would. Fields with arguments, extensions, exception
handlers, subscriptions, and resolvers strawberry cannot call keep strawberry's wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLObjectType
from strawberry.schema.schema_converter import GraphQLCoreConverter

DEFINITION = GraphQLCoreConverter.DEFINITION_BACKREF


def direct_resolvers(schema: Any) -> list[str]:
    """Swap in direct resolvers on the strawberry `schema`; the `Type.field` names swapped."""
    converter = schema.schema_converter
    info_class = schema.config.info_class
    swapped = []
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, graphql_field in type_.fields.items():
            field = (graphql_field.extensions or {}).get(DEFINITION)
            if field is None or not _eligible(field, converter):
                continue
            graphql_field.resolve = _direct(field, info_class)
            swapped.append(f"{type_.name}.{name}")
    return swapped


def _eligible(field: Any, converter: Any) -> bool:
    resolver = field.base_resolver
    if resolver is None or field.extensions or field.arguments or field.is_subscription:
        return False
    if not callable(resolver.wrapped_func):
        return False  # strawberry raises its own error for these: leave it to strawberry
    handlers = getattr(converter, "_get_field_exception_handlers", None)
    # Without the (private) handler lookup we cannot tell whether a handler applies: keep the wrapper.
    return handlers is not None and not handlers(field)


def _direct(field: Any, info_class: Any) -> Callable[..., Any]:
    resolver = field.base_resolver
    function = resolver.wrapped_func
    takes_self = resolver.self_parameter is not None
    source_names = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None]
    info_name = resolver.info_parameter.name if resolver.info_parameter is not None else None

    def resolve(source: Any, info: Any, **_: Any) -> Any:
        kwargs = dict.fromkeys(source_names, source)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=field)
        return function(source, **kwargs) if takes_self else function(**kwargs)

    # Not a plain attribute: the plain-field executor must not take it for one (schema/executor.py).
    resolve._is_default = False  # type: ignore[attr-defined]
    return resolve
