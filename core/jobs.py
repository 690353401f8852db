"""Background jobs on taskiq: an in-memory broker by default (jobs run in the API process), a Redis
stream with acknowledgement plus `selfserve worker` processes at scale (`core.job_queue`).

- Delivery is at least once: work that follows a change goes through the transactional outbox
  (`Jobs.enqueue` writes an outbox row, `core.outbox`), the queue redelivers what a dying worker had
  taken, and failures are retried with exponential back-off and jitter, then kept as dead letters
  (`core.job_retry`).
- Every job is idempotent: a job queued with an idempotency key (`job_key` label, the outbox key)
  runs to completion at most once per key (a `JobDone` row), and the job functions themselves
  check state (a refund calls its provider with the refund id as the provider's idempotency key).
- Periodic jobs tick once per period across processes; the ticker is supervised (`core.ticker`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from taskiq import AsyncBroker, Context, InMemoryBroker, TaskiqDepends

from core import outbox
from core.context import Services
from core.db import use_orm
from core.job_queue import StreamBroker
from core.job_retry import RetryMiddleware
from core.models import DeadLetter, JobDone
from core.tasks import stop_task
from core.ticker import Ticker, worker_health

__all__ = ["JobSpec", "Jobs", "make_broker", "worker_health"]

logger = logging.getLogger("selfserve.jobs")


@dataclass(frozen=True)
class JobSpec:
    """A job: `func(services, **kwargs)`; `period_seconds` makes it periodic; `retries` is the
    number of attempts before it becomes a dead letter."""

    name: str
    func: Callable[..., Awaitable[Any]]
    period_seconds: int | None = None
    retries: int = 3


def make_broker(settings: Any, in_process: bool) -> AsyncBroker:
    """The broker: in-memory (jobs run in this process) or the Redis stream for workers."""
    if in_process or not settings.redis_url:
        return InMemoryBroker()
    return StreamBroker(
        settings.redis_url,
        idle_timeout_seconds=settings.jobs_claim_idle_seconds,
        batch=settings.jobs_worker_concurrency,
    )


class Jobs:
    """Enqueue jobs by name, run periodic ticks, relay the outbox; one instance per process."""

    def __init__(self, broker: AsyncBroker, specs: list[JobSpec], services: Services) -> None:
        self.broker = broker.with_middlewares(RetryMiddleware(services.orm, services.settings))
        self.specs = {spec.name: spec for spec in specs}
        self._services = services
        self._tasks: dict[str, Any] = {}
        self._loops: list[asyncio.Task] = []
        self.relay = outbox.OutboxRelay(services, interval=services.settings.jobs_relay_interval_seconds)
        # `core.outbox.add_job` finds the relay through the ORM context it runs in.
        services.orm.selfserve_relay = self.relay  # type: ignore[attr-defined]
        self.ticker: Ticker | None = None
        for spec in specs:
            self._tasks[spec.name] = broker.register_task(
                self._wrap(spec), task_name=spec.name, retry_on_error=True, max_retries=spec.retries
            )

    @property
    def in_process(self) -> bool:
        """True when jobs run in this process (the embedded default)."""
        return isinstance(self.broker, InMemoryBroker)

    def _wrap(self, spec: JobSpec) -> Callable[..., Awaitable[Any]]:
        services = self._services
        relay = self.relay

        async def run(context: Context = TaskiqDepends(), **kwargs: Any) -> Any:
            labels = context.message.labels
            key = labels.get("job_key")
            started, outcome = time.perf_counter(), "error"
            try:
                with use_orm(services.orm):
                    if key and await JobDone.exists(key=key):
                        result, outcome = None, "skipped"  # a redelivered or replayed job that finished
                    else:
                        async with outbox.relay_scope(relay):
                            result = await spec.func(services, **kwargs)
                        outcome = "ok"
                        if key:
                            await _mark_done(key)
                    if labels.get("dead_letter_id") is not None:
                        await DeadLetter.filter(id=int(labels["dead_letter_id"])).update(
                            resolved_at=datetime.now(UTC)
                        )
            finally:
                # Every job run passes here, in whichever process runs it (API or worker).
                _record_run(services, spec.name, outcome, time.perf_counter() - started)
            return result

        run.__name__ = spec.name.replace(".", "_")
        return run

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        """Queue job `name` through the outbox: in the caller's transaction when one is open,
        relayed to the queue after commit."""
        if name not in self._tasks:
            raise KeyError(f"unknown job {name!r}")
        with use_orm(self._services.orm):
            await outbox.add_job(name, kwargs)

    async def kick(self, name: str, kwargs: dict[str, Any], labels: dict[str, Any] | None = None) -> None:
        """Put job `name` on the queue now (the outbox relay and the ticker call this)."""
        if name not in self._tasks:
            raise KeyError(f"unknown job {name!r}")
        await self._tasks[name].kicker().with_labels(**(labels or {})).kiq(**kwargs)

    async def run_now(self, name: str, **kwargs: Any) -> Any:
        """Run a job inline (CLI, tests); the same function the worker runs. In-process, the work
        it queued (jobs, events and their hooks) has also run when this returns."""
        spec = self.specs[name]
        with use_orm(self._services.orm):
            async with outbox.relay_scope(self.relay):
                result = await spec.func(self._services, **kwargs)
        if self.in_process:
            await self.drain()
        return result

    async def drain(self) -> None:
        """Relay the due outbox rows and, in-process, wait until every job they lead to finished
        (tests and shutdown)."""
        await self.relay.settle()
        with use_orm(self._services.orm):
            for _ in range(100):
                relayed = await self.relay.relay_due()
                broker = self.broker
                if not isinstance(broker, InMemoryBroker):  # workers run the jobs
                    return
                await broker.wait_all()
                await self.relay.settle()
                if not relayed and not broker._running_tasks:
                    return

    async def startup(self, *, tick: bool, heartbeat: bool = False) -> None:
        """Start the broker and, when `tick`, the supervised periodic ticker and the outbox sweep;
        `heartbeat` also writes the worker heartbeat."""
        await self.broker.startup()
        if not tick:
            return
        periods = {spec.name: spec.period_seconds for spec in self.specs.values() if spec.period_seconds}
        self.ticker = Ticker(
            self._services.redis,
            periods,
            self._kick_periodic,
            heartbeat=heartbeat,
            interval=self._services.settings.jobs_tick_seconds,
        )
        with use_orm(self._services.orm):
            self._loops = [asyncio.create_task(self.ticker.run()), asyncio.create_task(self.relay.run())]

    async def _kick_periodic(self, name: str) -> None:
        await self.kick(name, {})

    async def shutdown(self) -> None:
        """Stop ticking and sweeping, finish in-process jobs and close the broker."""
        for loop in self._loops:
            # redis clients can swallow a cancellation that arrives while a command is in flight;
            # stop_task cancels again until the loop has stopped, for a bounded time.
            await stop_task(loop)
        if self.ticker is not None:
            await self.ticker.forget()
        try:
            await asyncio.wait_for(self.drain(), 30)
        except Exception:  # noqa: BLE001 - what is left stays in the outbox for the next process
            logger.warning("shutdown: some outbox rows were not relayed; the next process relays them")
        await self.broker.shutdown()


def _record_run(services: Any, name: str, outcome: str, seconds: float) -> None:
    registry = services.metrics
    if registry is not None:
        registry.inc("selfserve_job_runs_total", job=name, outcome=outcome)
        registry.observe("selfserve_job_duration_seconds", seconds, job=name)


async def _mark_done(key: str) -> None:
    try:
        await JobDone.bulk_create([JobDone(key=key)], ignore_conflicts=True)
    except Exception as error:  # noqa: BLE001 - the job finished; only a redelivery would repeat it
        logger.warning("could not record job %s as done: %s", key, error)
