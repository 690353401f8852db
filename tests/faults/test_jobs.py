"""Jobs under real faults: real `selfserve worker` processes, a TCP proxy in front of Redis that the
test cuts and freezes, `kill -9`, and a read-only VAR_DIR (issue 12, findings 1 to 4 and 9)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest
import redis.asyncio as aioredis
from tortoise.transactions import in_transaction

from core import outbox
from core.db import use_orm
from core.events import Event
from core.job_queue import STREAM
from core.jobs import worker_health
from core.models import DeadLetter, OutboxMessage
from core.notify import NOTIFY_JOB, Message, queue_notification
from tests.faults.proxy import tcp_proxy
from tests.faults.workers import (
    SELFSERVE,
    eventually,
    heartbeats,
    start_worker,
    stopped_at_end,
    wait_for_heartbeat,
    worker_env,
)

pytestmark = pytest.mark.services

REFUND = """mutation R($input: RefundRequestInput!) {
  refundRequest(input: $input) { __typename ... on Refund { id } ... on PaymentError { code } } }"""


@pytest.fixture
def real(backend):
    """The real services (this file needs PostgreSQL and Redis)."""
    if not backend.is_real:
        pytest.skip("needs the real PostgreSQL and Redis (services half)")
    parsed = urlparse(backend.redis_url)
    return backend, parsed.hostname or "127.0.0.1", parsed.port or 6379, (parsed.path or "/0").lstrip("/")


async def _notify(api, count: int, tag: str) -> list[str]:
    """Queue `count` notifications the way a request does; returns their message ids."""
    ids = []
    with use_orm(api.services.orm):
        async with outbox.relay_scope(api.services.jobs.relay):
            for number in range(count):
                message = Message("INAPP", f"user-{tag}", f"{tag} {number}", "body")
                await queue_notification(api.services, message)
                ids.append(message.id)
    return ids


def _sent(var_dir: Path) -> Counter:
    path = var_dir / "outbox.jsonl"
    if not path.exists():
        return Counter()
    return Counter(json.loads(line)["id"] for line in path.read_text().splitlines() if line)


def _all_sent(var_dir: Path, ids: list[str]):
    async def check() -> bool:
        return set(ids) <= set(_sent(var_dir))

    return check


async def test_worker_survives_a_redis_cut_and_drains_afterwards(real, client, make_client, tmp_path):
    backend, host, port, db = real
    var = tmp_path / "var"
    var.mkdir()
    with tcp_proxy(host, port) as proxy:
        url = f"redis://127.0.0.1:{proxy.port}/{db}"
        worker = start_worker(worker_env(backend.database_url, url, var), tmp_path / "worker.log")
        with stopped_at_end(worker):
            await wait_for_heartbeat(backend.redis_url, worker)
            async with make_client(jobs_in_process=False, redis_url=url) as api:
                before = await _notify(api, 10, "before")
                await eventually(_all_sent(var, before), 20, "not delivered before the cut")
                # when Redis goes away for 3 s, with jobs committed meanwhile
                proxy.cut()
                during = await _notify(api, 10, "during")
                await asyncio.sleep(3)
                proxy.restore()
                restored = time.monotonic()
                # then the same worker drains everything by itself
                await eventually(_all_sent(var, before + during), 30, worker.output())
                print(
                    f"\nredis cut 3 s: drained {len(during)} jobs {time.monotonic() - restored:.1f} s after"
                )
            assert worker.alive(), worker.output()
            assert set(_sent(var).values()) == {1}  # each message once
            log = worker.output()
            assert log.count("job queue (redis) failing") == 1, log  # once per outage, not per attempt
            assert "job queue (redis) recovered" in log
            assert worker.stop() == 0


async def test_kill_9_mid_drain_loses_no_refund_and_pays_each_once(real, client, make_client, tmp_path):
    from plugins.payments.models import Refund
    from plugins.payments.providers.sandbox import REFUND_CALLS, REFUND_EFFECTS
    from tests.money import assert_ledger_balanced

    backend, *_ = real
    count, concurrency = 16, 4
    async with make_client(jobs_in_process=False) as api:
        # given refunds committed while no worker runs (their jobs wait in the stream)
        await _refunds(api, count)
        env = worker_env(
            backend.database_url,
            backend.redis_url,
            tmp_path,
            SELFSERVE_PAYMENTS_SANDBOX_REFUND_LATENCY_MS="400",
            SELFSERVE_JOBS_WORKER_CONCURRENCY=str(concurrency),
        )
        redis = api.services.redis
        first = start_worker(env, tmp_path / "first.log", concurrency=concurrency)
        second = None
        with stopped_at_end(first):
            # when the first worker is killed with -9 in the middle of the drain
            await eventually(lambda: redis.hlen(REFUND_EFFECTS), 30, first.output(), interval=0.05)
            first.kill9()
            done_by_first = await redis.hlen(REFUND_EFFECTS)
            assert done_by_first < count, "the first worker finished before the kill: make it slower"
            # then a second worker re-claims what the first had taken and finishes every refund
            second = start_worker(env, tmp_path / "second.log", concurrency=concurrency)
            with stopped_at_end(second):

                async def all_done() -> bool:
                    with use_orm(api.services.orm):
                        return await Refund.filter(status="SUCCEEDED").count() == count

                await eventually(all_done, 40, second.output())
                calls = {key: int(n) for key, n in (await redis.hgetall(REFUND_CALLS)).items()}
                effects = await redis.hgetall(REFUND_EFFECTS)
                with use_orm(api.services.orm):
                    refund_ids = await Refund.all().values_list("id", flat=True)
                # one refund at the provider per refund; a repeated call only for the jobs that
                # were in flight when the first worker died (the provider de-duplicates by key)
                assert set(effects) == {f"refund:{refund_id}" for refund_id in refund_ids}
                assert set(calls) == set(effects)
                repeated = [key for key, n in calls.items() if n > 1]
                assert all(n <= 2 for n in calls.values()), calls
                assert len(repeated) <= concurrency, calls
                print(
                    f"\nkill -9: {count} refunds, {done_by_first} done before the kill, {len(repeated)} called twice"
                )
                assert second.stop() == 0
        await assert_ledger_balanced(api)


async def _refunds(api, count: int) -> None:
    """`count` committed refunds of one user (their provider jobs wait in the queue)."""
    from tests.helpers import make_verified_adult
    from tests.money import fund, new_key

    alice = await api.signup()
    await make_verified_adult(api, alice)
    for _ in range(count):
        order = await fund(api, alice, 10, verify=False)
        body = await api.gql(
            REFUND,
            {"input": {"orderId": order["id"], "reason": "r", "idempotencyKey": new_key()}},
            token=alice.token,
        )
        assert body["data"]["refundRequest"]["__typename"] == "Refund", body


async def test_sigterm_lets_the_running_jobs_finish_before_the_worker_exits(
    real, client, make_client, tmp_path
):
    from plugins.payments.models import Refund
    from plugins.payments.providers.sandbox import REFUND_CALLS, REFUND_EFFECTS

    backend, *_ = real
    async with make_client(jobs_in_process=False) as api:
        await _refunds(api, 2)
        env = worker_env(
            backend.database_url,
            backend.redis_url,
            tmp_path,
            SELFSERVE_PAYMENTS_SANDBOX_REFUND_LATENCY_MS="2000",
        )
        worker = start_worker(env, tmp_path / "worker.log")
        with stopped_at_end(worker):
            redis = api.services.redis
            # when SIGTERM arrives while both refunds are at the provider
            await eventually(lambda: _equals(redis.hlen(REFUND_CALLS), 2), 30, worker.output(), interval=0.05)
            assert await redis.hlen(REFUND_EFFECTS) == 0
            # then the worker finishes them and exits cleanly
            assert worker.stop() == 0, worker.output()
            assert "worker stopped" in worker.output()
        assert await redis.hlen(REFUND_EFFECTS) == 2
        with use_orm(api.services.orm):
            assert await Refund.filter(status="SUCCEEDED").count() == 2


async def _equals(awaitable, expected) -> bool:
    return await awaitable == expected


async def test_worker_survives_a_database_cut_and_finishes_the_jobs_afterwards(
    real, client, make_client, tmp_path
):
    from plugins.payments.models import Refund

    backend, *_ = real
    database = urlparse(backend.database_url)
    with tcp_proxy(database.hostname or "127.0.0.1", database.port or 5432) as proxy:
        proxied = backend.database_url.replace(
            f"{database.hostname}:{database.port}", f"127.0.0.1:{proxy.port}"
        )
        worker = start_worker(worker_env(proxied, backend.redis_url, tmp_path), tmp_path / "worker.log")
        with stopped_at_end(worker):
            await wait_for_heartbeat(backend.redis_url, worker)
            async with make_client(jobs_in_process=False) as api:
                # when the worker loses the database while refund jobs arrive
                proxy.cut()
                await _refunds(api, 3)
                await asyncio.sleep(3)
                proxy.restore()

                # then it finishes them once the database is back, by itself
                async def all_done() -> bool:
                    with use_orm(api.services.orm):
                        return await Refund.filter(status="SUCCEEDED").count() == 3

                await eventually(all_done, 40, worker.output())
            assert worker.alive(), worker.output()
            log = worker.output()
            assert log.count("outbox relay failing") == 1, log  # once per outage, not per attempt
            assert len(log.splitlines()) < 20, log


async def test_the_ticker_runs_again_after_a_frozen_redis(real, client, tmp_path):
    backend, host, port, db = real
    with tcp_proxy(host, port) as proxy:
        url = f"redis://127.0.0.1:{proxy.port}/{db}"
        worker = start_worker(worker_env(backend.database_url, url, tmp_path), tmp_path / "worker.log")
        with stopped_at_end(worker):
            await wait_for_heartbeat(backend.redis_url, worker)
            # when Redis hangs longer than a tick may take (2 s with 1 s ticks)
            proxy.freeze()
            await asyncio.sleep(4)
            proxy.restore()
            restored = time.time()

            # then the ticker ticks again and the worker reports healthy
            async def ticked_again() -> bool:
                beats = await heartbeats(backend.redis_url)
                return any((beat.get("last_tick") or 0) > restored for beat in beats.values())

            await eventually(ticked_again, 20, worker.output())
            direct = aioredis.from_url(backend.redis_url, decode_responses=True)
            try:
                health = await worker_health(direct)
            finally:
                await direct.aclose()
            assert health["status"] == "ok" and health["workers"] == 1, health
            log = worker.output()
            assert log.count("periodic ticker failing") == 1, log
            assert "periodic ticker recovered" in log
            assert worker.alive()


def _read_only(var: Path) -> tuple[tuple[str, ...], object]:
    """A command prefix that runs the worker with `var` read-only, and a function that makes it
    writable again. As root (permissions do not stop root) a read-only bind mount in the worker's
    own mount namespace; otherwise the directory's permissions."""
    if os.geteuid() != 0:
        var.chmod(0o555)
        return (), lambda _pid: var.chmod(0o755)
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.decode()[:200]}")
    script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
    prefix = ("unshare", "-m", "--propagation", "private", "sh", "-c", script, str(var))

    def writable(pid: int) -> None:
        subprocess.run(
            ["nsenter", "-t", str(pid), "-m", "mount", "-o", "remount,bind,rw", str(var)], check=True
        )

    return prefix, writable


async def test_a_read_only_var_dir_loses_no_notification(real, client, make_client, tmp_path):
    backend, *_ = real
    var = tmp_path / "var"
    var.mkdir()
    prefix, make_writable = _read_only(var)
    env = worker_env(backend.database_url, backend.redis_url, var)
    worker = start_worker(env, tmp_path / "worker.log", prefix=prefix)
    with stopped_at_end(worker):
        await wait_for_heartbeat(backend.redis_url, worker)
        async with make_client(jobs_in_process=False) as api:
            # when notifications are sent while VAR_DIR is read-only
            ids = await _notify(api, 6, "ro")

            async def dead_letters() -> int:
                with use_orm(api.services.orm):
                    return await DeadLetter.filter(name=NOTIFY_JOB, resolved_at=None).count() == len(ids)

            # then they are retried with back-off and kept as dead letters, not dropped
            await eventually(dead_letters, 30, worker.output())
            assert not _sent(var)
            listing = subprocess.run(
                [SELFSERVE, "jobs", "failed"],
                env={**env, "SELFSERVE_VAR_DIR": str(tmp_path / "cli")},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert listing.returncode == 0, listing.stderr
            assert listing.stdout.count(NOTIFY_JOB) == len(ids), listing.stdout
            assert "auto-replay" in listing.stdout and "Error" in listing.stdout
            # and once the disk is writable again they are delivered, each once, by themselves
            make_writable(worker.pid)
            await eventually(_all_sent(var, ids), 30, worker.output())
            await asyncio.sleep(1)
            assert set(_sent(var).values()) == {1}

            async def resolved() -> bool:
                with use_orm(api.services.orm):
                    return not await DeadLetter.filter(resolved_at=None).exists()

            await eventually(resolved, 10)
        assert worker.alive()


async def test_outbox_rows_exist_exactly_when_the_change_committed(real, client, make_client):
    backend, host, port, db = real
    with tcp_proxy(host, port) as proxy:
        url = f"redis://127.0.0.1:{proxy.port}/{db}"
        async with make_client(jobs_in_process=False, redis_url=url) as api:
            relay = api.services.jobs.relay
            with use_orm(api.services.orm):
                await relay.relay_due()
                await OutboxMessage.all().delete()  # what start-up hooks queued
                # a rolled-back transaction leaves no outbox row
                with pytest.raises(RuntimeError):
                    async with in_transaction():
                        await outbox.add_job(
                            NOTIFY_JOB, {"channel": "INAPP", "target": "t", "subject": "s", "body": "b"}
                        )
                        await api.services.events.publish(Event("test.rolled_back"))
                        raise RuntimeError("rolled back")
                assert not await OutboxMessage.exists()
                # a committed one survives Redis being down at commit time, without an error
                proxy.cut()
                async with outbox.relay_scope(relay):
                    async with in_transaction():
                        await outbox.add_job(
                            NOTIFY_JOB, {"channel": "INAPP", "target": "t", "subject": "s", "body": "b"}
                        )
                        await api.services.events.publish(Event("test.committed"))
                rows = await OutboxMessage.all()
                assert len(rows) == 2 and all(r.relayed_at is None for r in rows)
                assert any(r.last_error for r in rows)
                # and is relayed by the sweep once Redis is back
                proxy.restore()

                async def relayed() -> bool:
                    await relay.relay_due()
                    return not await OutboxMessage.filter(relayed_at=None).exists()

                await eventually(relayed, 15)
        direct = aioredis.from_url(backend.redis_url)
        try:
            entries = await direct.xrange(STREAM)
        finally:
            await direct.aclose()
        names = [json.loads(fields[b"data"])["task_name"] for _, fields in entries]
        assert sorted(names[-2:]) == ["core.event", NOTIFY_JOB]
