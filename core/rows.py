"""Read-only rows without tortoise models, for hot lists.

Building a tortoise model runs per-column conversions and `__setattr__` for every field; a page of
100 rows spends most of its time there. `values()` returns the converted columns as dicts; `Row`
gives them attribute access (and `pk`), so code written against a model's attributes reads a row
the same way. A row has only the columns it was read with and cannot be saved.
"""

from __future__ import annotations

from collections.abc import Iterable
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
