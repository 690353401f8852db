"""Cursor pagination for services (no GraphQL here): keyset by primary key, or by offset for
lists ordered by something other than the key (queues)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from core.errors import DomainError
from core.keys import opaque, parse_key
from core.rows import keyset_rows
from core.rows import rows as read_rows

T = TypeVar("T")
DEFAULT_PAGE = 20
MAX_PAGE = 100
#: Offsets past this are refused (no queue is that long; a huge one would overflow the driver).
MAX_OFFSET = 2**31


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results with the cursor of each item."""

    items: Sequence[T]
    cursors: Sequence[str]
    has_next: bool

    @property
    def end_cursor(self) -> str | None:
        """Cursor of the last item, to ask for the next page."""
        return self.cursors[-1] if self.cursors else None

    def map(self, convert: Callable[[T], Any]) -> Page[Any]:
        """The same page with each item converted."""
        return Page([convert(item) for item in self.items], self.cursors, self.has_next)


class Cursors(Sequence[str]):
    """The cursors of a page's items, each encoded when it is read (a page that is shown without
    cursors, or only with its end cursor, encodes one or none)."""

    def __init__(self, kind: str, values: Sequence[Any]) -> None:
        self._kind = kind
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [encode_cursor(self._kind, value) for value in self._values[index]]
        return encode_cursor(self._kind, self._values[index])

    def __iter__(self) -> Iterator[str]:
        kind = self._kind
        return (encode_cursor(kind, value) for value in self._values)


def page_size(first: int | None, maximum: int = MAX_PAGE) -> int:
    """`first` defaulted to 20 and capped at `maximum`; negative is an input error."""
    if first is None:
        return DEFAULT_PAGE
    if first < 0:
        raise DomainError("INVALID_INPUT", field="first", detail="first must not be negative")
    return min(first, maximum)


def encode_cursor(kind: str, value: Any) -> str:
    """An opaque cursor."""
    return opaque(f"{kind}:{value}")


def decode_cursor(cursor: str | None, kind: str) -> str | None:
    """The value inside a cursor of `kind`, or an INVALID_INPUT error for anything else."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise DomainError("INVALID_INPUT", field="after", detail="bad cursor") from None
    prefix, _, value = text.partition(":")
    if prefix != kind or not value:
        raise DomainError("INVALID_INPUT", field="after", detail="bad cursor")
    return value


async def page_by_key(
    queryset: Any,
    first: int | None,
    after: str | None,
    *,
    descending: bool = True,
    columns: Sequence[str] = (),
) -> Page:
    """Keyset pagination over the primary key (newest first by default). With `columns` the items
    are `core.rows.Row`s of those columns and `id` (no models built: hot lists)."""
    size = page_size(first)
    last = _key_after(after)
    if last is not None:
        queryset = queryset.filter(id__lt=last) if descending else queryset.filter(id__gt=last)
    ordered = queryset.order_by("-id" if descending else "id").limit(size + 1)
    rows = await read_rows(ordered, columns) if columns else await ordered
    return _key_page(rows, size)


async def page_by_columns(
    model: Any,
    first: int | None,
    after: str | None,
    *,
    columns: Sequence[str],
    equal: Mapping[str, Any],
    unequal: Mapping[str, Any] | None = None,
    descending: bool = True,
) -> Page:
    """`page_by_key` for the simplest hot lists: rows of `model` whose `equal` columns equal their
    values and whose `unequal` ones differ, read by `core.rows.keyset_rows` (the SQL text built
    once per shape). Same cursors as `page_by_key`."""
    size = page_size(first)
    rows = await keyset_rows(
        model,
        columns,
        equal=equal,
        unequal=unequal,
        beyond=_key_after(after),
        descending=descending,
        limit=size + 1,
    )
    return _key_page(rows, size)


def _key_after(after: str | None) -> int | None:
    """The key inside a keyset cursor (None: from the start)."""
    raw = decode_cursor(after, "k")
    if raw is None:
        return None
    last = parse_key(raw)
    if last is None:  # not a key we could have issued (a huge number would overflow the driver)
        raise DomainError("INVALID_INPUT", field="after", detail="bad cursor")
    return last


def _key_page(rows: Sequence[Any], size: int) -> Page:
    items = list(rows[:size])
    return Page(items, Cursors("k", [item.pk for item in items]), len(rows) > size)


async def page_by_offset(
    queryset: Any, first: int | None, after: str | None, *, columns: Sequence[str] = ()
) -> Page:
    """Offset pagination for lists with their own ordering (the queryset carries `order_by`).
    With `columns` the items are `core.rows.Row`s of those columns and `id` (no models built)."""
    size = page_size(first)
    raw = decode_cursor(after, "o")
    position = parse_key(raw) if raw is not None else -1
    if position is None or position >= MAX_OFFSET:
        raise DomainError("INVALID_INPUT", field="after", detail="bad cursor")
    offset = position + 1
    window = queryset.offset(offset).limit(size + 1)
    rows = await read_rows(window, columns) if columns else await window
    items = list(rows[:size])
    return Page(items, Cursors("o", range(offset, offset + len(items))), len(rows) > size)
