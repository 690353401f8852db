"""Per-process caches invalidated by events, in this process and in every other one.

A `LocalCache` is a bounded map (least recently stored entries go first) whose entries carry tags
(`user:42`, `session:<uuid>`) and expire after a short TTL, a safety net only: correctness comes
from invalidation. `CacheInvalidation` owns the process's caches and the redis channel
`cache.invalidate`:

- `await invalidation.invalidate("user:42")` drops matching entries here at once, publishes the
  tags to every process, and (inside a request or job, see `core.outbox.after_commit`) does both
  again once the transaction has committed: a request that read the old row between the change
  and its commit cannot keep it.
- An entry is served only while the process listens on the channel on the same pub/sub connection
  it was stored on (`EventHub.listening`): while Redis is away, or after a reconnect that may have
  lost messages, every lookup misses and the cache refills from the database.
- `put` refuses an entry when an invalidation arrived since the caller's `generation()` (taken
  before reading the database): a read racing a change is never stored.

`invalidate_from_orm(*tags)` is the same from code that only has the ORM context (model hooks);
`InvalidatingManager` makes a model's bulk writes (`filter(...).update(...)`) invalidate too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from tortoise import context as tortoise_context
from tortoise.manager import Manager
from tortoise.queryset import QuerySet

from core import outbox
from core.events import CHANNEL_PREFIX, Event
from core.tasks import stop_task

logger = logging.getLogger("selfserve.cache")

CHANNEL = "cache.invalidate"
#: The tag that drops every entry of every cache.
ALL = "*"


class LocalCache:
    """A bounded, tagged TTL map; lookups miss unless `live()` names the connection of the entry."""

    def __init__(
        self,
        *,
        max_entries: int,
        ttl_seconds: float,
        live: Callable[[], int | None] = lambda: 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.ttl = ttl_seconds
        self._live = live
        self._clock = clock
        #: key -> (value, tags, expires at, connection number)
        self._entries: OrderedDict[Any, tuple[Any, tuple[str, ...], float, int]] = OrderedDict()
        self._tags: dict[str, set[Any]] = {}
        self._generation = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def enabled(self) -> bool:
        return self.ttl > 0 and self.max_entries > 0

    def generation(self) -> int:
        """Take before reading what will be stored; `put` refuses it if anything was invalidated since."""
        return self._generation

    def get(self, key: Any) -> Any:
        """The live value of `key`, else None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, _, expires, connection = entry
        if expires <= self._clock() or connection != self._live():
            self._drop(key)
            return None
        return value

    def put(
        self, key: Any, value: Any, tags: Iterable[str], generation: int, *, expires_at: float | None = None
    ) -> bool:
        """Store `value` under `key` unless an invalidation happened since `generation` or the
        process does not listen to invalidations right now. `expires_at` (monotonic clock) shortens
        the TTL, e.g. to the token's own expiry."""
        connection = self._live()
        if not self.enabled or connection is None or generation != self._generation:
            return False
        expires = self._clock() + self.ttl
        if expires_at is not None:
            expires = min(expires, expires_at)
        self._drop(key)
        tags = tuple(tags)
        self._entries[key] = (value, tags, expires, connection)
        for tag in tags:
            self._tags.setdefault(tag, set()).add(key)
        while len(self._entries) > self.max_entries:
            self._drop(next(iter(self._entries)))
        return True

    def invalidate(self, tags: Iterable[str]) -> None:
        """Drop every entry carrying one of `tags` (`ALL`: every entry)."""
        self._generation += 1
        for tag in tags:
            if tag == ALL:
                self._entries.clear()
                self._tags.clear()
                return
            for key in list(self._tags.get(tag, ())):
                self._drop(key)

    def _drop(self, key: Any) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        for tag in entry[1]:
            keys = self._tags.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tags[tag]


class CacheInvalidation:
    """The process's caches and their invalidation over redis pub/sub (see the module docstring)."""

    def __init__(self, redis: Any, hub: Any, *, ttl_seconds: float, max_entries: int) -> None:
        self._redis = redis
        self._hub = hub
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._caches: dict[str, LocalCache] = {}
        self._listener: asyncio.Task | None = None
        self._origin = os.urandom(8).hex()

    def cache(self, name: str) -> LocalCache:
        """The cache called `name` (created on first use)."""
        found = self._caches.get(name)
        if found is None:
            found = self._caches[name] = LocalCache(
                max_entries=self.max_entries, ttl_seconds=self.ttl, live=self._listening
            )
        return found

    def _listening(self) -> int | None:
        return self._hub.listening(CHANNEL)

    def start(self) -> None:
        """Listen for other processes' invalidations (caches serve nothing until Redis confirms)."""
        if self.ttl > 0 and self._listener is None:
            self._listener = asyncio.get_running_loop().create_task(self._listen(), name="cache-invalidation")

    async def _listen(self) -> None:
        while True:
            try:
                async with contextlib.aclosing(self._hub.subscribe(CHANNEL)) as events:
                    async for event in events:
                        if event.payload.get("origin") != self._origin:
                            self.invalidate_here(event.payload.get("tags") or [ALL])
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis away: lookups miss meanwhile; listen again
                await asyncio.sleep(0.5)

    def invalidate_here(self, tags: Iterable[str]) -> None:
        """Drop the tagged entries of this process's caches."""
        tags = list(tags)
        for cache in self._caches.values():
            cache.invalidate(tags)

    async def invalidate(self, *tags: str) -> None:
        """Drop the tagged entries everywhere now, and again after the current transaction commits."""
        await self._invalidate(tags)
        outbox.after_commit(lambda: self._invalidate(tags))

    async def _invalidate(self, tags: tuple[str, ...]) -> None:
        self.invalidate_here(tags)
        message = Event(CHANNEL, {"tags": list(tags), "origin": self._origin}).to_json()
        try:
            await self._redis.publish(CHANNEL_PREFIX + CHANNEL, message)
        except Exception as error:  # noqa: BLE001 - the change itself stands; see below
            # Other processes lose their pub/sub connection too when Redis fails, and their caches
            # stop serving until they are resubscribed (`EventHub.listening`).
            logger.warning("cache invalidation not published (%s): %s", type(error).__name__, tags)

    async def close(self) -> None:
        """Stop listening (process shutdown)."""
        await stop_task(self._listener)
        self._listener = None


async def invalidate_from_orm(*tags: str) -> None:
    """`CacheInvalidation.invalidate` for code that has only the process's ORM context (model hooks);
    nothing happens where no caches run (migrations, scripts)."""
    invalidation = getattr(tortoise_context.get_current_context(), "selfserve_caches", None)
    if invalidation is not None:
        await invalidation.invalidate(*tags)


class _ThenInvalidate:
    """An awaitable write query that invalidates `tags` once it has run."""

    def __init__(self, query: Any, tags: tuple[str, ...]) -> None:
        self._query = query
        self._tags = tags

    def __await__(self) -> Any:
        return self._run().__await__()

    async def _run(self) -> Any:
        result = await self._query
        await invalidate_from_orm(*self._tags)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)


class InvalidatingQuerySet(QuerySet):
    """A queryset whose bulk writes (`update`, `delete`, `bulk_update`) drop every cache entry: which
    rows they touch is not known here, and such writes are rare next to the reads cached."""

    def update(self, **kwargs: Any) -> Any:
        return _ThenInvalidate(super().update(**kwargs), (ALL,))

    def delete(self) -> Any:
        return _ThenInvalidate(super().delete(), (ALL,))

    def bulk_update(self, *args: Any, **kwargs: Any) -> Any:
        return _ThenInvalidate(super().bulk_update(*args, **kwargs), (ALL,))


class InvalidatingManager(Manager):
    """`Meta.manager` of a model whose rows feed a `LocalCache`; pair it with `invalidate_from_orm`
    in the model's `save` and `delete` for single-row writes."""

    def get_queryset(self) -> QuerySet:
        model = self._model
        if model is None:  # tortoise binds the manager to its model when the class is built
            raise RuntimeError("InvalidatingManager is not bound to a model")
        return InvalidatingQuerySet(model)
