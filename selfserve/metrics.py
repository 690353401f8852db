"""`/metrics` (Prometheus text format) and what it shows beyond core's job metrics: GraphQL requests,
latency, errors by code, websockets (moved by `selfserve.observe`), and, read at scrape time, the job
queue, the outbox, the dead letters and the database pool. docs/operations.md lists every metric.

Access (one rule for every process, see `access_refusal`): with `SELFSERVE_METRICS_TOKEN` set, a
scrape must send `Authorization: Bearer <token>` (401 otherwise); without a token, production
answers 404 on the public port and only the internal listener (`SELFSERVE_METRICS_PORT`, bound to
`SELFSERVE_METRICS_HOST`, loopback by default) serves metrics; development and test answer
loopback callers only.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, cast

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from core.metrics import CORE_METRICS, Metrics, MetricSpec
from core.plugins import plugin_results
from core.stash import StashKey

logger = logging.getLogger("selfserve.metrics")

REQUESTS = "selfserve_graphql_requests_total"
DURATION = "selfserve_graphql_request_duration_seconds"
ERRORS = "selfserve_graphql_errors_total"
HTTP_REQUESTS = "selfserve_http_requests_total"
SUBSCRIPTIONS = "selfserve_websocket_subscriptions"
CONNECTIONS = "selfserve_websocket_connections"

#: The label of an operation without a usable name: unnamed, not parsed, or never executed.
UNNAMED = "_unnamed"
#: The label of named operations past `metrics_max_operation_names` distinct names.
OTHER = "_other"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_OPERATIONS_KEY = StashKey[set[str]]()

EDGE_METRICS = (
    MetricSpec(
        REQUESTS,
        "GraphQL requests over HTTP by operation name and outcome (ok, error, rate_limited, "
        "unauthenticated, bad_request, unavailable).",
        labels=("operation", "outcome"),
    ),
    MetricSpec(
        DURATION,
        "GraphQL request latency over HTTP by operation name.",
        kind="histogram",
        labels=("operation",),
    ),
    MetricSpec(
        ERRORS, "GraphQL errors in answers, by extensions.code (HTTP and websocket).", labels=("code",)
    ),
    MetricSpec(HTTP_REQUESTS, "HTTP requests by route template and status code.", labels=("route", "status")),
    MetricSpec(SUBSCRIPTIONS, "Websocket operations (subscriptions) running now.", kind="gauge"),
    MetricSpec(CONNECTIONS, "Open graphql-transport-ws connections.", kind="gauge"),
    MetricSpec(
        "selfserve_job_queue_depth",
        "Jobs in the queue: `stream` entries in the Redis stream (waiting or taken), `pending` taken "
        "by a worker and not yet acknowledged; in-process jobs: `running` in this process.",
        kind="gauge",
        labels=("state",),
    ),
    MetricSpec(
        "selfserve_outbox_unsent",
        "Outbox rows not yet relayed to the queue (delayed ones too).",
        kind="gauge",
    ),
    MetricSpec(
        "selfserve_outbox_lag_seconds",
        "Age of the oldest outbox row that is due and not relayed (0 when none).",
        kind="gauge",
    ),
    MetricSpec(
        "selfserve_job_dead_letters", "Unresolved dead letters (jobs that failed every retry).", kind="gauge"
    ),
    MetricSpec(
        "selfserve_db_pool_connections",
        "Database connections of this process: `in_use`, `idle`, and `max` (the pool's limit; "
        "SQLite has one connection, in use while a statement or transaction holds it).",
        kind="gauge",
        labels=("state",),
    ),
)


def open_metrics(services: Any) -> Metrics:
    """The app's metrics: core's, the edge's and every plugin's (`register_metrics`), with the
    scrape-time collectors of shared state."""
    specs = [*CORE_METRICS, *EDGE_METRICS]
    specs += [
        spec for _, plugin_specs in plugin_results(services.pm, "register_metrics") for spec in plugin_specs
    ]
    metrics = Metrics(specs)
    metrics.add_collector("job_queue", lambda m: _job_queue(m, services))
    metrics.add_collector("outbox", lambda m: _outbox(m, services))
    metrics.add_collector("db_pool", lambda m: _db_pool(m, services))
    return metrics


def operation_label(services: Any, name: str | None) -> str:
    """The metrics label for an operation name: the name itself for the first
    `metrics_max_operation_names` distinct valid names, else `_other`; no name is `_unnamed`."""
    if not name or not _NAME.match(name):
        return UNNAMED
    seen: set[str] = services.stash.setdefault(_OPERATIONS_KEY, set())
    if name in seen:
        return name
    if len(seen) >= services.settings.metrics_max_operation_names:
        return OTHER
    seen.add(name)
    return name


# -- scrape-time collectors -------------------------------------------------------------------


async def _job_queue(metrics: Metrics, services: Any) -> None:
    from core.job_queue import GROUP, STREAM

    jobs = services.jobs
    if jobs.in_process:
        metrics.set("selfserve_job_queue_depth", len(jobs.broker._running_tasks), state="running")
        return
    length = await services.redis.xlen(STREAM)
    try:
        pending = (await services.redis.xpending(STREAM, GROUP))["pending"]
    except Exception:  # noqa: BLE001 - no consumer group yet: no worker ever listened
        pending = 0
    metrics.set("selfserve_job_queue_depth", length, state="stream")
    metrics.set("selfserve_job_queue_depth", pending, state="pending")


async def _outbox(metrics: Metrics, services: Any) -> None:
    from core.db import use_orm
    from core.models import DeadLetter, OutboxMessage

    now = datetime.now(UTC)
    with use_orm(services.orm):
        unsent = await OutboxMessage.filter(relayed_at=None).count()
        due = (
            await OutboxMessage.filter(relayed_at=None, available_at__lte=now)
            .order_by("available_at")
            .limit(1)
            .values_list("available_at", flat=True)
        )
        letters = await DeadLetter.filter(resolved_at=None).count()
    metrics.set("selfserve_outbox_unsent", unsent)
    metrics.set(
        "selfserve_outbox_lag_seconds",
        max(0.0, (now - cast(datetime, due[0])).total_seconds()) if due else 0.0,
    )
    metrics.set("selfserve_job_dead_letters", letters)


async def _db_pool(metrics: Metrics, services: Any) -> None:
    client = services.orm.db("default")
    pool = getattr(client, "_pool", None)
    if pool is not None:  # asyncpg
        size, idle = pool.get_size(), pool.get_idle_size()
        in_use, limit = size - idle, pool.get_max_size()
    elif getattr(client, "_connection", None) is not None:  # SQLite: one connection behind a lock
        lock = getattr(client, "_lock", None)
        in_use = 1 if lock is not None and lock.locked() else 0
        idle, limit = 1 - in_use, 1
    else:  # not connected yet (a pool is opened on first use)
        in_use, idle, limit = 0, 0, services.settings.database_pool_size
    metrics.set("selfserve_db_pool_connections", in_use, state="in_use")
    metrics.set("selfserve_db_pool_connections", idle, state="idle")
    metrics.set("selfserve_db_pool_connections", limit, state="max")


# -- the endpoint ---------------------------------------------------------------------------------


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_refusal(request: Request, settings: Any, *, internal: bool = False) -> Response | None:
    """None when this request may read the metrics, else the refusal (see the module docstring)."""
    token = settings.metrics_token
    if token:
        scheme, _, sent = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode()):
            return None
        return PlainTextResponse("metrics need a bearer token", 401, headers={"WWW-Authenticate": "Bearer"})
    if internal:
        return None  # the internal listener is protected by where it binds
    if settings.is_production or not _is_loopback(request):
        return PlainTextResponse("Not Found", 404)
    return None


async def _answer(request: Request, metrics: Metrics, settings: Any, internal: bool) -> Response:
    refusal = access_refusal(request, settings, internal=internal)
    if refusal is not None:
        return refusal
    await metrics.collect()
    return Response(
        metrics.exposition(), media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"}
    )


async def metrics_endpoint(request: Request) -> Response:
    """`GET /metrics` on the API's own port."""
    services = request.app.state.services
    return await _answer(request, services.metrics, services.settings, internal=False)


def internal_app(services: Any) -> Starlette:
    """The app of the internal metrics listener: `/metrics` only."""

    async def endpoint(request: Request) -> Response:
        return await _answer(request, services.metrics, services.settings, internal=True)

    return Starlette(routes=[Route("/metrics", endpoint, methods=["GET"])])


@contextlib.asynccontextmanager
async def internal_listener(services: Any, port: int, host: str) -> AsyncIterator[None]:
    """Serve `internal_app` on host:port while the block runs (a uvicorn server in this event loop;
    it leaves the process's signal handling alone). A port that cannot be bound is logged, and the
    process goes on without the listener."""
    import uvicorn

    class _Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Any:  # the process (worker, API) owns its signals
            yield

    config = uvicorn.Config(
        internal_app(services), host=host, port=port, lifespan="off", log_level="warning", access_log=False
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(100):
        if server.started or task.done():
            break
        await asyncio.sleep(0.02)
    if task.done() and not server.started:
        logger.error("metrics listener on %s:%s did not start (port in use?)", host, port)
    try:
        yield
    finally:
        server.should_exit = True
        with contextlib.suppress(BaseException):  # a failed bind ends the task with SystemExit
            await asyncio.wait_for(task, 5)
