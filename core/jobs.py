"""Background jobs on taskiq: in-memory broker by default, redis list queue plus `selfserve worker`
at scale. Jobs are idempotent and retried; periodic jobs tick once per period across processes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from taskiq import AsyncBroker, InMemoryBroker, SimpleRetryMiddleware
from taskiq_redis import ListQueueBroker

from core.db import use_orm

logger = logging.getLogger("selfserve.jobs")


@dataclass(frozen=True)
class JobSpec:
    """A job: `func(services, **kwargs)`; `period_seconds` makes it periodic."""

    name: str
    func: Callable[..., Awaitable[Any]]
    period_seconds: int | None = None
    retries: int = 3


def make_broker(redis_url: str, in_process: bool) -> AsyncBroker:
    """The broker: in-memory (jobs run in the API process) or a redis list queue for workers."""
    if in_process or not redis_url:
        broker: AsyncBroker = InMemoryBroker()
    else:
        # BRPOP blocks until a job arrives: redis-py's default 5 s socket timeout would end the
        # worker with a TimeoutError after 5 idle seconds.
        broker = ListQueueBroker(redis_url, queue_name="selfserve:jobs", socket_timeout=None)
    return broker.with_middlewares(SimpleRetryMiddleware(default_retry_count=3))


class Jobs:
    """Enqueue jobs by name and run periodic ticks; one instance per process."""

    def __init__(self, broker: AsyncBroker, specs: list[JobSpec], services: Any) -> None:
        self.broker = broker
        self.specs = {spec.name: spec for spec in specs}
        self._services = services
        self._tasks: dict[str, Any] = {}
        self._ticker: asyncio.Task | None = None
        for spec in specs:
            self._tasks[spec.name] = broker.register_task(
                self._wrap(spec), task_name=spec.name, retry_on_error=True, max_retries=spec.retries
            )

    def _wrap(self, spec: JobSpec) -> Callable[..., Awaitable[Any]]:
        services = self._services

        async def run(**kwargs: Any) -> Any:
            with use_orm(services.orm):
                return await spec.func(services, **kwargs)

        run.__name__ = spec.name.replace(".", "_")
        return run

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        """Queue job `name`; in-process it runs in the background of this event loop."""
        if name not in self._tasks:
            raise KeyError(f"unknown job {name!r}")
        await self._tasks[name].kiq(**kwargs)

    async def run_now(self, name: str, **kwargs: Any) -> Any:
        """Run a job inline (CLI, tests); the same function the worker runs."""
        spec = self.specs[name]
        with use_orm(self._services.orm):
            return await spec.func(self._services, **kwargs)

    async def drain(self) -> None:
        """Wait for in-process jobs to finish (tests and shutdown)."""
        if isinstance(self.broker, InMemoryBroker):
            await self.broker.wait_all()

    async def startup(self, *, tick: bool) -> None:
        """Start the broker and, when `tick`, the periodic-job loop."""
        await self.broker.startup()
        if tick and any(spec.period_seconds for spec in self.specs.values()):
            self._ticker = asyncio.create_task(self._tick_forever())

    async def shutdown(self) -> None:
        """Stop ticking and close the broker."""
        if self._ticker:
            # redis clients can swallow a cancellation that arrives while a command is in flight:
            # cancel again until the ticker has really stopped.
            while not self._ticker.done():
                self._ticker.cancel()
                await asyncio.wait({self._ticker}, timeout=0.5)
            if not self._ticker.cancelled() and self._ticker.exception() is not None:
                logger.warning("the periodic ticker had failed: %r", self._ticker.exception())
        await self.drain()
        await self.broker.shutdown()

    async def _tick_forever(self) -> None:
        redis = self._services.redis
        while True:
            for spec in self.specs.values():
                if not spec.period_seconds:
                    continue
                # One process per period wins the tick, however many API processes or workers run.
                if await redis.set(f"jobs:tick:{spec.name}", "1", nx=True, ex=spec.period_seconds):
                    try:
                        await self.enqueue(spec.name)
                    except Exception:  # a broken job must not stop the others' ticks
                        logger.exception("could not enqueue periodic job %s", spec.name)
            await asyncio.sleep(5)
