"""Read-only rows without tortoise models, for hot lists.

Building a tortoise model runs per-column conversions and `__setattr__` for every field; a page of
100 rows spends most of its time there. `values()` returns the converted columns as dicts; `Row`
gives them attribute access (and `pk`), so code written against a model's attributes reads a row
the same way. A row has only the columns it was read with and cannot be saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
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


async def keyset_rows(
    model: Any,
    columns: Sequence[str],
    *,
    equal: Mapping[str, Any],
    unequal: Mapping[str, Any] | None = None,
    beyond: int | None = None,
    descending: bool = True,
    limit: int,
) -> list[Row]:
    """Rows of `model` with `id` and `columns` where each `equal` column equals its value and each
    `unequal` one differs from it, past key `beyond`, ordered by key: the statement tortoise's
    `filter().exclude().order_by("-id").limit().values()` sends, with its SQL text built once per
    shape (`_keyset_sql`) instead of per request — building it was half the cost of reading a page
    of 100 rows. Values come back converted as `values()` converts them."""
    unequal = unequal or {}
    db = model._meta.db
    sql = _keyset_sql(
        model,
        tuple(columns),
        tuple(equal),
        tuple(unequal),
        beyond is not None,
        descending,
        db.capabilities.dialect,
    )
    params = [*equal.values(), *unequal.values(), *([beyond] if beyond is not None else []), limit]
    found = await db.execute_query_dict(sql, params)
    for name, convert in _converters(model, tuple(columns)):
        for values in found:
            values[name] = convert(values[name])
    return [Row(values) for values in found]


@functools.lru_cache(maxsize=256)
def _keyset_sql(
    model: Any,
    columns: tuple[str, ...],
    equal: tuple[str, ...],
    unequal: tuple[str, ...],
    beyond: bool,
    descending: bool,
    dialect: str,
) -> str:
    """The SELECT of `keyset_rows` for one shape (a pure function of its arguments, so memoized)."""
    projection = model._meta.fields_db_projection
    marks = iter(f"${n}" for n in range(1, 1000)) if dialect == "postgres" else iter(lambda: "?", None)
    selected = ",".join(f'"{projection[name]}" "{name}"' for name in ("id", *columns))
    conditions = [f'"{projection[name]}"={next(marks)}' for name in equal]
    conditions += [f'"{projection[name]}"<>{next(marks)}' for name in unequal]
    if beyond:
        conditions.append(f'"{projection["id"]}"{"<" if descending else ">"}{next(marks)}')
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    order = "DESC" if descending else "ASC"
    return (
        f'SELECT {selected} FROM "{model._meta.db_table}"{where} '
        f'ORDER BY "{projection["id"]}" {order} LIMIT {next(marks)}'
    )


@functools.lru_cache(maxsize=256)
def _converters(model: Any, columns: tuple[str, ...]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """(column, to_python_value) for the columns whose driver value is not already the Python one
    (the fields tortoise's `values()` converts: datetimes and JSON on SQLite, for instance)."""
    native = {field for _, field, _ in model._meta.db_native_fields}
    return tuple(
        (name, model._meta.fields_map[name].to_python_value) for name in columns if name not in native
    )
