"""Read-only rows without tortoise models, for hot lists.

Building a tortoise model runs per-column conversions and `__setattr__` for every field; a page of
100 rows spends most of its time there. `values()` returns the converted columns as dicts; `Row`
gives them attribute access (and `pk`), so code written against a model's attributes reads a row
the same way. A row has only the columns it was read with and cannot be saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any


class Row:
    """A `values()` dict (which must hold `id`) read as attributes."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.pk = values["id"]

    def __getattr__(self, name: str) -> Any:
        # Only reached for a column the row was not read with: a programming error, said plainly.
        raise AttributeError(f"{type(self).__name__} was read without column {name!r}")

    def __repr__(self) -> str:
        return f"<Row {self.pk}>"


async def rows(queryset: Any, columns: Iterable[str]) -> list[Row]:
    """The `queryset`'s rows with `id` and `columns`, as `Row`s (one query)."""
    return [Row(values) for values in await queryset.values("id", *columns)]


def reader(source: Any) -> Callable[[str], Any]:
    """`name -> value` of a model or a `Row`. A column the row was not read with reads as None:
    a list that reads only the columns its document selects (`columns_for`) builds its objects
    with this, and the fields left None are the ones nothing asks for."""
    return source.__dict__.get if isinstance(source, Row) else functools.partial(getattr, source)


def columns_for(
    selected: Iterable[str], field_columns: Mapping[str, Iterable[str]], columns: Iterable[str]
) -> tuple[str, ...]:
    """The `columns` (in their order) that the GraphQL fields named in `selected` read, by
    `field_columns` (field name -> columns). `selected` may hold more names than the type's
    (`schema.selection.selected_names` is conservative): unknown names need nothing."""
    wanted = {column for name in selected for column in field_columns.get(name, ())}
    return tuple(column for column in columns if column in wanted)
