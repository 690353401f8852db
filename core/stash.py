"""A typed key-value store for process-wide state a plugin keeps on `services.stash`.

Modelled on pytest's `Stash`: a plugin makes one `StashKey[T]` per value, at module level, and the
type checker knows that `services.stash[KEY]` is a `T`. Keys are objects, not strings, so two plugins
can never collide on a name, and only the module holding a key (or what it exports) can reach the
value.

    INDEX = StashKey["SearchIndex"]()
    index = services.stash.get(INDEX, None)
    services.stash[INDEX] = build_index()
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")
D = TypeVar("D")


class StashKey(Generic[T]):
    """A key of `Stash` whose values are `T`. Each instance is a distinct key (compared by identity)."""

    __slots__ = ()


class Stash:
    """Values by `StashKey`, each of its key's type. Not a mapping: it cannot be listed, so no code
    depends on what other plugins keep."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[StashKey[Any], object] = {}

    def __setitem__(self, key: StashKey[T], value: T) -> None:
        self._items[key] = value

    def __getitem__(self, key: StashKey[T]) -> T:
        """The value under `key`; `KeyError` when there is none."""
        return cast(T, self._items[key])

    def get(self, key: StashKey[T], default: D) -> T | D:
        """The value under `key`, or `default`."""
        try:
            return self[key]
        except KeyError:
            return default

    def setdefault(self, key: StashKey[T], default: T) -> T:
        """The value under `key`, storing `default` first when there is none."""
        try:
            return self[key]
        except KeyError:
            self[key] = default
            return default

    def pop(self, key: StashKey[T], default: D) -> T | D:
        """Remove and return the value under `key`, or return `default` when there is none."""
        return cast("T | D", self._items.pop(key, default))

    def __delitem__(self, key: StashKey[T]) -> None:
        del self._items[key]

    def __contains__(self, key: StashKey[T]) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)
