"""One generated function per selection of plain fields: builds a list item's result in one call.

`schema/executor.py` completes a list whose items' selected fields are all plain attributes
(leaves, and objects or lists of objects whose own selections are plain) without graphql-core's
per-field machinery. Interpreting a table of fields for every item still cost about four times
what the same steps cost written out, so each such selection is compiled, once per request, into
a function with those steps unrolled (the technique `dataclasses` uses for `__init__`): read each
attribute, answer a `str` for a String, a `bool` for a Boolean as is, serialize other leaves,
check nested objects' types and build them with their own function, and return the result dict
with the keys in the query's order.

The function returns `MISS` whenever a field needs graphql-core's path (a null in a non-null
place, a value its scalar refuses, a wrong object type, an exception): the executor then
completes that whole item again the normal way and reports it exactly as graphql-core does.
Reading a plain attribute has no side effects, so reading it twice is harmless.
"""

from __future__ import annotations

from collections.abc import Callable
from math import isfinite
from typing import Any, NamedTuple

from graphql.pyutils import Undefined

LEAF, OBJECT, OBJECT_LIST = "leaf", "object", "list"


class Field(NamedTuple):
    """One selected plain field of a compiled selection."""

    #: The response key (alias or name).
    name: str
    kind: str
    #: source -> the attribute's value.
    get: Callable[[Any], Any]
    nullable: bool
    #: LEAF: value -> serialized value (None or Undefined: refused).
    serialize: Any = None
    #: LEAF: the Python type whose values are their own serialization (str for String), or None.
    exact: type | None = None
    #: OBJECT / OBJECT_LIST: the nested selection's function and its type check.
    build: Any = None
    is_type_of: Any = None
    items_nullable: bool = True
    #: The attribute `get` reads, when it is a plain `getattr`: the code reads `source.<attribute>`.
    attribute: str | None = None
    #: LEAF: the GraphQL scalar's name (Int and Float are checked inline).
    scalar: str | None = None


def compile_rows(fields: tuple[Field, ...], miss: object) -> Callable[[Any], Any]:
    """The function that builds a result dict from a source object for `fields`, or `miss`."""
    env: dict[str, Any] = {
        "MISS": miss,
        "Undefined": Undefined,
        "SEQUENCES": (list, tuple),
        "isfinite": isfinite,
    }
    lines = ["def build(source):", "    try:"]
    for index, field in enumerate(fields):
        lines += [f"        {line}" for line in _steps(index, field, env)]
    keys = ", ".join(f"{field.name!r}: v{index}" for index, field in enumerate(fields))
    lines += [
        "    except Exception:",  # the normal path reports it as a field error
        "        return MISS",
        f"    return {{{keys}}}",
    ]
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), env, namespace)  # noqa: S102 - the code is ours; names are GraphQL names
    return namespace["build"]


def _own_serialization(value: str, field: Field, exact: str) -> str | None:
    """A condition under which `value` is its own serialization (graphql-core's rules), or None."""
    if field.exact is not None:
        return f"type({value}) is {exact}"
    if field.scalar == "Int":
        return f"type({value}) is int and -2147483648 <= {value} <= 2147483647"
    if field.scalar == "Float":
        return f"type({value}) is float and isfinite({value})"
    return None


def _steps(index: int, field: Field, env: dict[str, Any]) -> list[str]:
    value, get = f"v{index}", f"get{index}"
    env[get] = field.get
    # `attribute` is an identifier (checked by the executor): read it directly.
    steps = [f"{value} = source.{field.attribute}" if field.attribute else f"{value} = {get}(source)"]
    on_null = [] if field.nullable else ["    return MISS"]
    if field.kind == LEAF:
        serialize, exact = f"serialize{index}", f"exact{index}"
        env[serialize], env[exact] = field.serialize, field.exact
        inner = [
            f"if {value} is None:",
            *(on_null or ["    pass"]),
            "else:",
            f"    {value} = {serialize}({value})",
            f"    if {value} is None or {value} is Undefined:",
            "        return MISS",
        ]
        own = _own_serialization(value, field, exact)
        if own is None:
            return steps + inner
        return [*steps, f"if not ({own}):", *[f"    {line}" for line in inner]]
    build, is_type_of = f"build{index}", f"is_type_of{index}"
    env[build], env[is_type_of] = field.build, field.is_type_of
    check = (
        [] if field.is_type_of is None else [f"if {is_type_of}(ITEM, None) is not True:", "    return MISS"]
    )
    if field.kind == OBJECT:
        body = [
            *[line.replace("ITEM", value) for line in check],
            f"{value} = {build}({value})",
            f"if {value} is MISS:",
            "    return MISS",
        ]
    else:
        item = f"item{index}"
        body = [
            f"if not isinstance({value}, SEQUENCES):",
            "    return MISS",
            f"items{index} = []",
            f"for {item} in {value}:",
            f"    if {item} is None:",
            *(["        return MISS"] if not field.items_nullable else []),
            f"        items{index}.append(None)",
            "        continue",
            *[f"    {line.replace('ITEM', item)}" for line in check],
            f"    {item} = {build}({item})",
            f"    if {item} is MISS:",
            "        return MISS",
            f"    items{index}.append({item})",
            f"{value} = items{index}",
        ]
    return [
        *steps,
        f"if {value} is None:",
        *(on_null or ["    pass"]),
        "else:",
        *[f"    {line}" for line in body],
    ]
