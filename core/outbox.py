"""The transactional outbox: work that follows a database change is written in the same transaction
as the change, and relayed to the job queue after commit. A rolled-back change leaves no row; a
Redis outage at commit time delays the work and never drops it.

API (stable; other plugins build on it):

- ``await add_job(name, payload, *, key=None, delay=0, labels=None)`` records job ``name`` with
  keyword arguments ``payload`` (JSON-able) in the caller's current transaction (tortoise
  ``in_transaction()``), or on the default connection (autocommit) when none is open. ``key`` makes
  it idempotent: a second row with the same key is not written, and the worker runs a keyed job at
  most once to completion (``core.jobs``). ``delay`` (seconds) holds it back.
- ``await add_event(event)`` records a ``core.events.Event``; once committed the relay broadcasts it
  to subscribers (redis pub/sub) and queues the ``core.event`` job that runs the ``on_event``
  hooks. ``services.events.publish(event)`` calls this.
- ``after_commit(callback)`` runs ``await callback()`` when the current relay scope flushes (after
  commit); False outside a scope.
- ``relay_scope(relay)`` (async context manager): rows added inside it are relayed when it exits,
  i.e. right after the request's or job's transactions committed (`selfserve.app` opens one per
  HTTP request, `core.jobs` one per job run). A row added outside any scope is relayed at once
  when no transaction is open (autocommit), else by a background nudge once it is visible.
  ``add_job`` / ``add_event`` need the process's ORM context (`core.db.use_orm`).
- ``OutboxRelay(services)``: ``relay_ids`` / ``relay_due`` move committed rows to the queue (a row
  is leased, kicked, then marked relayed; a failure puts it back with a growing delay), ``run()``
  is the periodic sweep for rows left behind (Redis down at commit, a process killed after commit)
  and the automatic replay of dead letters that failed for a transient reason.

The process's relay is ``services.jobs.relay``; ``services.jobs.enqueue(name, **kwargs)`` is
``add_job`` without a key. Retries and dead letters: ``core.job_retry``.

Delivery is at least once: a process killed between kick and mark relays the row again after its
lease, so every job must be idempotent (see ``core.jobs``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise import context as tortoise_context
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.expressions import Q

from core.context import Services
from core.db import use_orm
from core.models import DeadLetter, JobDone, OutboxMessage
from core.outage import Outage

logger = logging.getLogger("selfserve.outbox")

JOB = "job"
EVENT = "event"
#: The job that dispatches a relayed event (registered by `selfserve.services`).
EVENT_JOB = "core.event"
#: A leased row is relayed again after this long when its relay never finished.
LEASE_SECONDS = 60
#: Queuing one row may take this long before the relay gives up until the next sweep.
KICK_TIMEOUT_SECONDS = 5.0
#: Relayed rows and done-markers are deleted after this long (their keys stop de-duplicating then).
RETENTION = timedelta(days=7)


@dataclass
class _Pending:
    relay: Any
    ids: list[int] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    #: `after_commit` callbacks, run once the scope's transactions have committed.
    after: list[Callable[[], Awaitable[Any]]] = field(default_factory=list)

    async def flush(self) -> None:
        """Relay the rows added so far (their transactions must have committed)."""
        ids, keys = self.ids, self.keys
        self.ids, self.keys = [], []
        if ids or keys:
            await self.relay.relay_ids(ids, keys)
        callbacks, self.after = self.after, []
        for callback in callbacks:
            try:
                await callback()
            except Exception:  # the change has committed: a failing follow-up is logged only
                logger.exception("after-commit callback failed")


_pending: contextvars.ContextVar[_Pending | None] = contextvars.ContextVar("selfserve_outbox", default=None)


def _now() -> datetime:
    return datetime.now(UTC)


async def add_job(
    name: str,
    payload: dict[str, Any] | None = None,
    *,
    key: str | None = None,
    delay: float = 0,
    labels: dict[str, Any] | None = None,
) -> None:
    """Record job `name(**payload)` in the caller's transaction (see the module docstring)."""
    await _add(JOB, name, payload or {}, key=key, delay=delay, labels=labels or {})


async def add_event(event: Any) -> None:
    """Record a `core.events.Event` in the caller's transaction; dispatched after commit."""
    payload = asdict(event)
    payload["channels"] = list(payload.get("channels") or ())
    await _add(EVENT, event.name, payload, key=f"event:{event.id}", delay=0, labels={})


async def _add(kind: str, name: str, payload: dict, *, key: str | None, delay: float, labels: dict) -> None:
    row = OutboxMessage(
        kind=kind,
        name=name,
        payload=payload,
        key=key,
        labels=labels,
        available_at=_now() + timedelta(seconds=max(0.0, delay)),
    )
    if key is None:
        await row.save()
    else:
        # ON CONFLICT DO NOTHING: a duplicate key must not abort the caller's transaction.
        await OutboxMessage.bulk_create([row], ignore_conflicts=True)
    ids, keys = ([row.pk] if row.pk else []), ([key] if key else [])
    pending = _pending.get()
    if pending is not None:
        pending.ids.extend(ids)
        pending.keys.extend(keys)
        return
    relay = getattr(tortoise_context.get_current_context(), "selfserve_relay", None)
    if relay is None or delay:
        return  # the sweep relays it when due
    if isinstance(connections.get("default"), TransactionalDBClient):
        relay.nudge(ids, keys)  # committed later: look for it in the background
    else:
        await relay.relay_ids(ids, keys)  # autocommit: it is committed already


def after_commit(callback: Callable[[], Awaitable[Any]]) -> bool:
    """Run `callback()` when the current relay scope flushes (the request's or job's transactions
    have committed), e.g. to drop a cache entry a concurrent reader refilled before the commit.
    False (and nothing scheduled) outside any scope."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.after.append(callback)
    return True


@contextlib.asynccontextmanager
async def relay_scope(relay: Any) -> AsyncIterator[_Pending]:
    """Relay the rows added inside the block when it exits (their transactions have committed),
    or earlier with `await scope.flush()` (an HTTP request flushes before its answer is sent, so
    a client that acts on the answer finds the jobs queued and the events broadcast)."""
    pending = _Pending(relay)
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
        await pending.flush()


def backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential back-off with jitter: about `base * 2**(attempt-1)`, at most `cap`."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return delay * random.uniform(0.5, 1.0)  # noqa: S311 - spreading retries, not security


class OutboxRelay:
    """Moves committed outbox rows to the job queue; one per process."""

    def __init__(self, services: Services, *, interval: float = 2.0, batch: int = 100) -> None:
        self._services = services
        self.interval = interval
        self.batch = batch
        self._background: set[asyncio.Task] = set()
        self._outage = Outage(logger, "outbox relay")
        self.last_sweep: datetime | None = None

    # -- relaying -----------------------------------------------------------------------------

    async def relay_ids(self, ids: list[int], keys: list[str]) -> int:
        """Relay these rows now if they are committed and due; never raises."""
        condition = Q(id__in=ids) if ids else Q(id=-1)
        if keys:
            condition = condition | Q(key__in=keys)
        return await self._relay_where(condition, limit=len(ids) + len(keys))

    async def relay_due(self) -> int:
        """Relay every due row (the sweep and `Jobs.drain`); never raises."""
        return await self._relay_where(Q(), limit=self.batch)

    async def _relay_where(self, condition: Q, *, limit: int) -> int:
        try:
            rows = (
                await OutboxMessage.filter(condition, relayed_at=None, available_at__lte=_now())
                .order_by("id")
                .limit(limit)
            )
            relayed = 0
            for row in rows:
                relayed += await self._relay_row(row)
        except Exception as error:  # noqa: BLE001 - the sweep retries; a request must not fail
            self._outage.failed(error)
            return 0
        if relayed:
            self._outage.recovered()
        return relayed

    async def _relay_row(self, row: OutboxMessage) -> int:
        # Lease the row (compare-and-set on attempts): a concurrent relay skips it, and a
        # process killed before marking it relayed leaves it to be relayed again after the lease.
        leased = await OutboxMessage.filter(id=row.id, attempts=row.attempts, relayed_at=None).update(
            attempts=row.attempts + 1, available_at=_now() + timedelta(seconds=LEASE_SECONDS)
        )
        if not leased:
            return 0
        try:
            # Bounded: a frozen Redis must not hold a finished request (or the sweep) for long.
            await asyncio.wait_for(self._kick(row), KICK_TIMEOUT_SECONDS)
        except Exception as error:
            await OutboxMessage.filter(id=row.id).update(
                available_at=_now() + timedelta(seconds=backoff(row.attempts + 1, 1.0, 60.0)),
                last_error=f"{type(error).__name__}: {error}"[:500],
            )
            raise
        await OutboxMessage.filter(id=row.id).update(relayed_at=_now(), last_error=None)
        return 1

    async def _kick(self, row: OutboxMessage) -> None:
        jobs = self._services.jobs
        labels = dict(row.labels or {})
        if row.key:
            labels.setdefault("job_key", row.key)
        if row.kind == EVENT:
            # Subscribers first, in commit order and without waiting for a worker; the hooks
            # run in a job (once per event id).
            await self._services.events.broadcast(row.payload)
            await jobs.kick(EVENT_JOB, {"event": row.payload}, labels)
        else:
            await jobs.kick(row.name, row.payload, labels)

    def nudge(self, ids: list[int], keys: list[str]) -> None:
        """Relay these rows in the background soon (they were added outside a relay scope)."""
        # A fresh context: the caller's would carry its open transaction into the task.
        task = asyncio.get_running_loop().create_task(self._nudged(ids, keys), context=contextvars.Context())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _nudged(self, ids: list[int], keys: list[str]) -> None:
        # The row may belong to a transaction that has not committed yet: look again a few times,
        # then leave it to the sweep.
        with use_orm(self._services.orm):
            for pause in (0.0, 0.05, 0.25, 1.0):
                await asyncio.sleep(pause)
                if await self.relay_ids(ids, keys) or not await self._waiting(ids, keys):
                    return

    async def _waiting(self, ids: list[int], keys: list[str]) -> bool:
        try:
            condition = Q(id__in=ids) if ids else Q(key__in=keys or ["-"])
            return not await OutboxMessage.filter(condition).exists()
        except Exception:  # noqa: BLE001
            return False

    async def settle(self) -> None:
        """Wait for background nudges (tests and shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    # -- the periodic sweep ---------------------------------------------------------------------

    async def run(self) -> None:
        """Sweep forever: relay rows left behind, replay transient dead letters, purge old rows.
        Any error is logged once per outage and the loop goes on."""
        purge_every = 0
        while True:
            try:
                while await self.relay_due() >= self.batch:
                    pass
                await self.replay_dead_letters()
                purge_every = (purge_every + 1) % 500
                if purge_every == 1:
                    await OutboxMessage.filter(relayed_at__lt=_now() - RETENTION).delete()
                    await JobDone.filter(done_at__lt=_now() - RETENTION).delete()
                self.last_sweep = _now()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - supervised loop
                self._outage.failed(error)
            await asyncio.sleep(self.interval)

    async def replay_dead_letters(self) -> int:
        """Queue again the dead letters that failed for a transient reason and are due."""
        settings = self._services.settings
        replayed = 0
        due = await DeadLetter.filter(transient=True, resolved_at=None, next_replay_at__lte=_now()).limit(
            self.batch
        )
        for letter in due:
            if await replay(letter, settings, automatic=True):
                replayed += 1
        return replayed


async def replay(letter: DeadLetter, settings: Any, *, automatic: bool = False) -> bool:
    """Queue a dead letter again (the retry command, or the automatic replay of transient
    failures). An automatic replay gets one attempt; an operator's retry the job's full budget.
    Returns False when another process replayed it first."""
    from tortoise.transactions import in_transaction

    pause = backoff(letter.replays + 1, settings.jobs_dead_replay_seconds, 3600.0)
    async with in_transaction():
        claimed = await DeadLetter.filter(id=letter.id, replays=letter.replays, resolved_at=None).update(
            replays=letter.replays + 1,
            retried_at=_now(),
            # Set again when the replay fails; until then no second automatic replay.
            next_replay_at=_now() + timedelta(seconds=pause) if automatic else None,
        )
        if not claimed:
            return False
        labels: dict[str, Any] = {"dead_letter_id": letter.id}
        if letter.key:
            labels["job_key"] = letter.key  # a job that did finish meanwhile is not run twice
        if automatic:
            labels["one_attempt"] = 1
        await add_job(letter.name, letter.payload, labels=labels)
    return True
