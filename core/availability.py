"""Dependency outages: recognising them, answering them, and saying so once.

While PostgreSQL or Redis is unreachable every request fails the same way, so a request should
neither log a traceback nor answer `INTERNAL_SERVER_ERROR`: `dependency_of(error)` tells which
dependency an exception came from, the transport answers `SERVICE_UNAVAILABLE` (HTTP 503 with
`Retry-After`), and `OutageMonitor` logs once when a dependency goes away and once when it is back
(a background probe notices the return, so nothing depends on the next request). The saying-once
is `core.outage.Outage`, the same one the worker, the ticker and the outbox relay use.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import redis.exceptions as redis_errors
from tortoise.exceptions import DBConnectionError

from core.errors import DomainError
from core.outage import Outage
from core.tasks import stop_task

logger = logging.getLogger("selfserve.availability")

DATABASE = "database"
REDIS = "redis"
#: The deadline of a request ran out (a frozen dependency; which one is not known).
DEADLINE = "deadline"

# SQLite failures that are the disk's fault, not the query's.
_SQLITE_OUTAGE = ("database is locked", "readonly database", "disk i/o error", "database or disk is full")


class ServiceUnavailable(DomainError):
    """A dependency is down or too slow: try again after `retry_after` seconds."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, dependency: str, retry_after: int = 5) -> None:
        super().__init__(dependency=dependency, retry_after=retry_after)
        self.dependency = dependency
        self.retry_after = retry_after


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """The error, what caused it, what GraphQL wrapped, without looping."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = getattr(current, "original_error", None) or current.__cause__ or current.__context__


def _module_of_frames(error: BaseException) -> str | None:
    """Which client library raised a bare OSError/TimeoutError, judged by its traceback."""
    for frame, _ in reversed(list(traceback.walk_tb(error.__traceback__))):
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("redis"):
            return REDIS
        if module.startswith(("asyncpg", "tortoise", "aiosqlite")):
            return DATABASE
    return None


def _asyncpg_outage(error: BaseException) -> bool:
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    outage_classes = (
        asyncpg.PostgresConnectionError,  # class 08: the connection failed
        asyncpg.exceptions.OperatorInterventionError,  # class 57: shutdown, statement timeout
        asyncpg.exceptions.InsufficientResourcesError,  # class 53: too many connections, disk full
        asyncpg.exceptions.CannotConnectNowError,
        asyncpg.InterfaceError,  # the client lost the connection under a query
    )
    return isinstance(error, outage_classes)


def dependency_of(error: BaseException | None) -> str | None:
    """`database`, `redis` or `deadline` when `error` means a dependency is down or frozen; None for
    every other failure (a bug stays a bug)."""
    for link in _chain(error):
        if isinstance(link, ServiceUnavailable):
            return link.dependency
        if isinstance(link, redis_errors.ConnectionError | redis_errors.TimeoutError):
            return REDIS
        if isinstance(link, DBConnectionError) or _asyncpg_outage(link):
            return DATABASE
        if isinstance(link, sqlite3.OperationalError) and any(
            text in str(link).lower() for text in _SQLITE_OUTAGE
        ):
            return DATABASE
        if isinstance(link, OSError | TimeoutError):
            # A socket error is an outage only when a client library raised it (a missing media
            # file is an OSError too).
            found = _module_of_frames(link)
            if found is not None:
                return found
    # Anything else (a tortoise OperationalError from bad SQL, an IntegrityError) is not an outage.
    return None


class OutageMonitor:
    """Remembers which dependencies are down; logs once per outage and probes for the return.

    `probes` maps a dependency to an awaitable factory that succeeds once it answers again.
    """

    def __init__(self, probes: dict[str, Callable[[], Awaitable[Any]]], probe_every: float = 1.0) -> None:
        self._probes = probes
        self._probe_every = probe_every
        self._down: dict[str, Outage] = {}
        self._tasks: set[asyncio.Task] = set()
        self._checking = False
        self._deadline_logged_at = float("-inf")
        self._deadlines_missed = 0

    @property
    def down(self) -> tuple[str, ...]:
        """The dependencies currently known to be down."""
        return tuple(sorted(self._down))

    def report(self, dependency: str, error: BaseException | None = None) -> None:
        """A request failed because `dependency` is down: log it if this is news."""
        if dependency == DEADLINE:
            self._deadline_missed()
            return
        known = self._down.get(dependency)
        if known is not None:
            known.failed(error if error is not None else TimeoutError("no answer"))
            return
        outage = Outage(
            logger,
            dependency,
            started="%s unavailable (%s: %s); answering 503 until it is back",
            ended="%s is back after %.1f s (%d failed requests)",
        )
        outage.failed(error if error is not None else TimeoutError("no answer"))
        self._down[dependency] = outage
        probe = self._probes.get(dependency)
        if probe is not None:
            self._spawn(self._watch(dependency, probe))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _deadline_missed(self) -> None:
        """A request ran out of time: find out which dependency froze (it is then logged as down);
        if none did, say so at most once a minute."""
        self._deadlines_missed += 1
        if not self._checking:
            self._checking = True
            self._spawn(self._find_frozen())

    async def _find_frozen(self) -> None:
        try:
            frozen = False
            for dependency, probe in self._probes.items():
                if dependency in self._down:
                    frozen = True
                    continue
                try:
                    await asyncio.wait_for(probe(), timeout=2.0)
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # noqa: BLE001 - this is what we were looking for
                    frozen = True
                    self.report(dependency, error)
            now = time.monotonic()
            if not frozen and now - self._deadline_logged_at > 60:
                logger.warning(
                    "%d request(s) exceeded the request deadline; database and redis answer",
                    self._deadlines_missed,
                )
                self._deadline_logged_at, self._deadlines_missed = now, 0
        finally:
            self._checking = False

    async def _watch(self, dependency: str, probe: Callable[[], Awaitable[Any]]) -> None:
        while True:
            await asyncio.sleep(self._probe_every)
            try:
                await asyncio.wait_for(probe(), timeout=max(self._probe_every, 2.0))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - still down; said so already
                continue
            outage = self._down.pop(dependency, None)
            if outage is not None:
                outage.recovered()
            return

    async def close(self) -> None:
        """Stop the probes (process shutdown)."""
        for task in list(self._tasks):
            await stop_task(task)
