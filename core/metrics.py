"""Process metrics (Prometheus, `prometheus-client`): one `Metrics` per app instance, on its own
`CollectorRegistry` (never the library's global one, so an app built many times in one process, as
the test suite does, starts from zero each time and never collides).

Metrics are declared up front as `MetricSpec`s (core's here, the HTTP edge's in
`selfserve.metrics`, plugins' through the `register_metrics` hook) and then moved by name:
``services.metrics.inc("selfserve_job_runs_total", job=name, outcome="ok")``; plugin code calls
``core.metrics.count(services, name, **labels)``, which does nothing when the process has no
metrics. Label values must come from small fixed sets (a job name, an outcome, an error code):
never a user id, a token or anything typed by a caller.

Gauges of shared state (queue depth, outbox lag, pool use) are read at scrape time by async
collectors (`Metrics.add_collector`); `collect()` runs them, each bounded, before rendering.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

logger = logging.getLogger("selfserve.metrics")

Kind = Literal["counter", "gauge", "histogram"]
#: Seconds: from a cached lookup to a slow job.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
#: A scrape-time collector may take this long before its gauges keep their previous values.
COLLECT_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class MetricSpec:
    """A metric a component moves: full Prometheus name (`selfserve_…`, counters end in `_total`),
    help text, kind and label names; `buckets` for histograms."""

    name: str
    help: str
    kind: Kind = "counter"
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] = LATENCY_BUCKETS


#: Core's own metrics: the jobs every process runs.
CORE_METRICS = (
    MetricSpec(
        "selfserve_job_runs_total",
        "Job runs by job name and outcome (ok, error, skipped: a keyed job that had already finished).",
        labels=("job", "outcome"),
    ),
    MetricSpec(
        "selfserve_job_duration_seconds",
        "Duration of job runs by job name.",
        kind="histogram",
        labels=("job",),
    ),
)

Collector = Callable[["Metrics"], Awaitable[None]]


class Metrics:
    """The metrics of one app instance (see the module docstring)."""

    def __init__(self, specs: tuple[MetricSpec, ...] | list[MetricSpec] = ()) -> None:
        self.registry = CollectorRegistry()
        self._metrics: dict[str, Any] = {}
        self._collectors: list[tuple[str, Collector]] = []
        for spec in specs:
            self.declare(spec)

    def declare(self, spec: MetricSpec) -> None:
        """Register `spec` (declaring the same name twice is an error: two owners)."""
        if spec.name in self._metrics:
            raise ValueError(f"metric {spec.name!r} is declared twice")
        # prometheus-client adds `_total` to counters itself: name the family without it.
        if spec.kind == "counter":
            metric: Any = Counter(
                spec.name.removesuffix("_total"), spec.help, spec.labels, registry=self.registry
            )
        elif spec.kind == "gauge":
            metric = Gauge(spec.name, spec.help, spec.labels, registry=self.registry)
        else:
            metric = Histogram(
                spec.name, spec.help, spec.labels, registry=self.registry, buckets=spec.buckets
            )
        self._metrics[spec.name] = metric

    def _child(self, name: str, labels: dict[str, str]) -> Any:
        metric = self._metrics[name]
        return metric.labels(**labels) if labels else metric

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        """Add `amount` to a counter (or a gauge)."""
        self._child(name, labels).inc(amount)

    def dec(self, name: str, amount: float = 1.0, **labels: str) -> None:
        """Take `amount` from a gauge."""
        self._child(name, labels).dec(amount)

    def set(self, name: str, value: float, **labels: str) -> None:
        """Set a gauge."""
        self._child(name, labels).set(value)

    def observe(self, name: str, value: float, **labels: str) -> None:
        """Record one observation in a histogram."""
        self._child(name, labels).observe(value)

    def add_collector(self, name: str, collector: Collector) -> None:
        """Run `await collector(metrics)` at every scrape (it sets gauges from shared state)."""
        self._collectors.append((name, collector))

    async def collect(self) -> None:
        """Run the scrape-time collectors concurrently, each bounded; a failing one is logged and
        its gauges keep their last values (a scrape must answer while redis or the database is down)."""

        async def one(name: str, collector: Collector) -> None:
            try:
                await asyncio.wait_for(collector(self), COLLECT_TIMEOUT_SECONDS)
            except Exception as error:  # noqa: BLE001 - a scrape never fails on one source
                logger.debug("metrics collector %s failed: %s", name, error)

        await asyncio.gather(*(one(name, collector) for name, collector in self._collectors))

    def exposition(self) -> bytes:
        """The registry in the Prometheus text format."""
        return generate_latest(self.registry)


def count(services: Any, name: str, amount: float = 1.0, **labels: str) -> None:
    """Add to counter `name` of the process's metrics, if it has any (CLI commands have none)."""
    metrics = getattr(services, "metrics", None)
    if metrics is not None:
        metrics.inc(name, amount, **labels)
