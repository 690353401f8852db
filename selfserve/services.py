"""Opening and closing the process services (database, redis, jobs, events, notifier, security)."""

from __future__ import annotations

import logging
from typing import Any

from core import db, idempotency
from core.availability import DATABASE, REDIS, OutageMonitor
from core.context import Services
from core.db import use_orm
from core.entitlements import Entitlements
from core.errors import CORE_MESSAGES
from core.event_hub import EventHub
from core.events import EventBus, dispatch_event
from core.flags import open_flags
from core.i18n import Catalog
from core.jobs import Jobs, JobSpec, make_broker
from core.local_cache import CacheInvalidation
from core.notify import NOTIFY_JOB, deliver, make_notifier, warn_outbox_in_production
from core.outbox import EVENT_JOB
from core.plugins import call_async, plugin_results
from core.ratelimit import RequestLimiter, make_storage
from core.redis import make_redis
from core.security import AccessTokens, Passwords, PiiCipher, RateLimiter
from core.settings import Settings
from core.storage import LocalStorage
from selfserve.metrics import open_metrics
from selfserve.tracing import make_tracing

logger = logging.getLogger("selfserve")


def error_catalog(pm: Any) -> Catalog:
    """Core messages plus every plugin's `register_error_codes`."""
    catalog = Catalog(CORE_MESSAGES)
    for plugin, messages in plugin_results(pm, "register_error_codes"):
        catalog.add(plugin, messages)
    return catalog


async def open_services(
    settings: Settings, pm: Any, *, migrate: bool = True, worker: bool = False, redis: Any = None
) -> Services:
    """Connect everything a process needs; `worker` processes consume the job queue."""
    secret = settings.resolved_secret_key()
    orm = await db.open_orm(settings, pm)
    if migrate:
        await db.migrate(orm)
    services = Services(
        settings=settings,
        pm=pm,
        orm=orm,
        redis=redis if redis is not None else make_redis(settings),
        catalog=error_catalog(pm),
        secret_key=secret,
    )
    services.metrics = open_metrics(services)
    services.tracer = make_tracing(settings)
    if services.tracer is not None:
        services.tracer.instrument_orm(orm)
    services.outages = OutageMonitor(
        {DATABASE: lambda: orm.db("default").execute_query("SELECT 1"), REDIS: services.redis.ping},
        probe_every=1.0,
    )
    services.storage = LocalStorage(settings.media_dir)
    services.notifier = make_notifier(settings)  # the account plugin installs the SMS provider
    services.passwords = Passwords()
    services.access_tokens = AccessTokens(secret, settings.access_token_ttl_seconds)
    services.pii = PiiCipher(secret)
    services.rate_limiter = RateLimiter(services.redis)
    services.request_limits = RequestLimiter(
        make_storage(services.redis, settings.redis_url),
        user_per_minute=settings.rate_limit_user_per_minute,
        ip_per_minute=settings.rate_limit_ip_per_minute,
        app_per_minute=settings.rate_limit_app_per_minute,
    )
    services.entitlements = Entitlements(pm, services.redis, services)
    hub = EventHub(services.redis)
    services.events = EventBus(pm, services.redis, services, hub)
    services.caches = CacheInvalidation(
        services.redis, hub, ttl_seconds=settings.actor_cache_seconds, max_entries=settings.actor_cache_size
    )
    orm.selfserve_caches = services.caches  # type: ignore[attr-defined] - for model hooks
    services.caches.start()
    services.flags = await open_flags(services)
    specs: list[JobSpec] = [
        JobSpec(NOTIFY_JOB, deliver, retries=5),
        JobSpec(EVENT_JOB, dispatch_event, retries=5),
        JobSpec(idempotency.PURGE_JOB, idempotency.purge_expired, period_seconds=3600),
    ]
    specs += [spec for _, plugin_specs in plugin_results(pm, "register_jobs") for spec in plugin_specs]
    in_process = settings.jobs_in_process or not settings.redis_url
    services.jobs = Jobs(make_broker(settings, in_process and not worker), specs, services)
    # API processes tick periodic jobs (and sweep the outbox) only when they also run the jobs;
    # workers always do, and write a heartbeat.
    await services.jobs.startup(tick=worker or (in_process and settings.env != "test"), heartbeat=worker)
    with use_orm(orm):
        await call_async(pm, "startup", app_state=services)
    warn_outbox_in_production(settings, services.notifier)
    return services


async def close_services(services: Services) -> None:
    """Stop jobs, run `shutdown` hooks and close connections."""
    try:
        with use_orm(services.orm):
            await call_async(services.pm, "shutdown", app_state=services)
        await services.jobs.shutdown()
        await services.flags.close()
        if services.caches is not None:
            await services.caches.close()
        await services.events.close()
        await services.outages.close()
    finally:
        await services.redis.aclose()
        await db.close_orm(services.orm)
        if services.tracer is not None:
            services.tracer.shutdown()
