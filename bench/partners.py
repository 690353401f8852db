"""Partners benchmark: webhook throughput and enqueue-to-delivery latency (p50/p95) for 1,000
events sent through the outbox and a `selfserve worker` on Redis to a loopback receiver.

The benchmark process opens the services like an API process (jobs on the Redis stream), creates an
app and a subscription, then publishes `ticket.created` events one per relay scope (as requests do),
each stamped with the time it was published. The receiver (in this process) records each arrival;
latency is arrival minus publish. Prints figures, asserts nothing.

Environment: SELFSERVE_BENCH_DATABASE_URL and SELFSERVE_BENCH_REDIS_URL (required; a scratch
database, migrated and used as is), BENCH_EVENTS (default 1000), BENCH_WORKERS (default 1),
BENCH_CONCURRENCY (jobs per worker, default 20), BENCH_RATE (events per second to publish; default 0:
as fast as possible, which measures saturated throughput, while a rate below it measures latency).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.context import Actor
from core.db import empty_all_tables, use_orm
from core.events import Event
from core.outbox import relay_scope
from core.plugins import get_plugin_manager
from core.settings import Settings
from plugins.partners import service
from plugins.partners.tests.receiver import receiver
from selfserve.services import close_services, open_services

ROOT = Path(__file__).resolve().parent.parent
ADMIN = Actor(user_id="0", roles=frozenset({"USER", "ADMIN"}))


def _env(database: str, redis: str, var: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("SELFSERVE_")},
        "SELFSERVE_ENV": "test",
        "SELFSERVE_DATABASE_URL": database,
        "SELFSERVE_REDIS_URL": redis,
        "SELFSERVE_VAR_DIR": var,
        "SELFSERVE_SECRET_KEY": "bench-secret-key-that-is-long-enough-for-hkdf",
        "SELFSERVE_JOBS_IN_PROCESS": "false",
        "SELFSERVE_JOBS_RELAY_INTERVAL_SECONDS": "0.5",
        "PYTHONPATH": str(ROOT),
    }


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


async def main() -> None:
    database = os.environ["SELFSERVE_BENCH_DATABASE_URL"]
    redis = os.environ["SELFSERVE_BENCH_REDIS_URL"]
    count = int(os.environ.get("BENCH_EVENTS", "1000"))
    workers = int(os.environ.get("BENCH_WORKERS", "1"))
    concurrency = os.environ.get("BENCH_CONCURRENCY", "20")
    rate = float(os.environ.get("BENCH_RATE", "0"))
    var = tempfile.mkdtemp(prefix="bench-partners-")
    env = _env(database, redis, var)
    os.environ.update({k: v for k, v in env.items() if k.startswith("SELFSERVE_")})
    settings = Settings()
    services = await open_services(settings, get_plugin_manager(settings.plugin_names), migrate=True)
    children = []
    try:
        with use_orm(services.orm):
            await empty_all_tables(services.orm)
        async with receiver() as hook:
            with use_orm(services.orm):
                app, _ = await service.create_app(
                    services,
                    ADMIN,
                    name="bench",
                    permissions=["tickets:read"],
                    rate_limit=700,
                    ip="127.0.0.1",
                )
                await service.create_subscription(
                    services, ADMIN, app_id=app.pk, url=hook.url, events=["ticket.created"], ip="127.0.0.1"
                )
            children = [
                subprocess.Popen(
                    [sys.executable, "-m", "selfserve.cli", "worker", "--concurrency", concurrency],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
                for _ in range(workers)
            ]
            await asyncio.sleep(3)  # workers connect and join the consumer group
            sent: dict[int, float] = {}
            started = time.time()
            with use_orm(services.orm):
                for number in range(1, count + 1):
                    if rate:
                        await asyncio.sleep(max(0.0, started + number / rate - time.time()))
                    sent[number] = time.time()
                    async with relay_scope(services.jobs.relay):
                        payload = {"ticket_id": number, "number": number, "status": "NEW"}
                        await services.events.publish(Event("ticket.created", payload))
            published = time.time() - started
            await hook.wait_for(count, timeout=600)
            finished = max(r.at for r in hook.requests)
            wall_offset = time.time() - time.monotonic()
            latencies = []
            for request in hook.requests:
                number = json.loads(request.body)["data"]["number"]
                latencies.append((request.at + wall_offset - sent[number]) * 1000)
            elapsed = finished + wall_offset - started
        pace = f"paced at {rate:g}/s" if rate else "unpaced"
        print(f"partners webhooks: {count} events ({pace}), {workers} worker(s) x {concurrency} jobs")
        print(f"  published in {published:.1f} s ({count / published:.0f} events/s through the outbox)")
        print(f"  delivered in {elapsed:.1f} s: {count / elapsed:.0f} deliveries/s")
        print(
            f"  enqueue-to-delivery p50 {_pct(latencies, 0.5):.0f} ms  p95 {_pct(latencies, 0.95):.0f} ms  "
            f"p99 {_pct(latencies, 0.99):.0f} ms  mean {statistics.fmean(latencies):.0f} ms"
        )
        print(
            f"  receiver got {len(hook.requests)} requests, {len({r.headers['webhook-id'] for r in hook.requests})} ids"
        )
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        await close_services(services)


if __name__ == "__main__":
    asyncio.run(main())
