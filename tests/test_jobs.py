"""Jobs in-process: the outbox, keyed (once-only) jobs, back-off retries, the dead-letter list and
its commands, the supervised ticker and the worker health report. The same behaviour under real
faults with real workers is in tests/faults/test_jobs.py."""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import asdict
from datetime import UTC, datetime

import fakeredis
import pytest
from tortoise.transactions import in_transaction

from core.db import use_orm
from core.events import Event
from core.models import DeadLetter, OutboxMessage
from core.notify import NOTIFY_JOB, Message, queue_notification
from core.ticker import HEARTBEAT_PREFIX, LAST_RUN_KEY, Ticker, worker_health
from selfserve import cli
from tests.helpers import settings_for


def _message(subject: str = "hello") -> Message:
    return Message("INAPP", "someone", subject, "body")


def _sent(client) -> list[dict]:
    return client.services.notifier.read()


async def test_a_rolled_back_transaction_leaves_no_job_and_no_event(client):
    services = client.services
    with use_orm(services.orm):
        with pytest.raises(RuntimeError):
            async with in_transaction():
                await queue_notification(services, _message())
                await services.events.publish(Event("test.rolled_back"))
                raise RuntimeError("rolled back")
        assert not await OutboxMessage.exists()
    await services.jobs.drain()
    assert _sent(client) == []


async def test_a_committed_job_runs_after_commit_and_a_key_runs_it_once(client):
    services = client.services
    message = _message()
    with use_orm(services.orm):
        async with in_transaction():
            await queue_notification(services, message)
            await queue_notification(services, message)  # the same message id: one row
        assert await OutboxMessage.filter(name=NOTIFY_JOB).count() == 1
    await services.jobs.drain()
    # a redelivery of the same keyed job (the queue is at least once) changes nothing
    await services.jobs.kick(NOTIFY_JOB, asdict(message), {"job_key": f"notify:{message.id}"})
    await services.jobs.drain()
    assert [sent["id"] for sent in _sent(client)] == [message.id]
    with use_orm(services.orm):
        assert not await OutboxMessage.filter(relayed_at=None).exists()


async def test_failed_jobs_back_off_then_wait_in_the_dead_letter_list(client, backend, capsys, monkeypatch):
    services = client.services
    attempts = []

    async def read_only_disk(message):
        attempts.append(message.id)
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(services.notifier, "send", read_only_disk)
    message = _message("alert")
    await queue_notification(services, message)
    await services.jobs.drain()
    with use_orm(services.orm):
        for attempt in range(1, 5):
            # each retry waits in the outbox, later each time (exponential back-off with jitter)
            retry = await OutboxMessage.get(relayed_at=None)
            assert retry.labels["_retries"] == attempt
            wait = (retry.available_at - datetime.now(UTC)).total_seconds()
            base = services.settings.jobs_retry_base_seconds
            assert base * 2 ** (attempt - 1) * 0.4 <= wait <= base * 2 ** (attempt - 1)
            await OutboxMessage.filter(id=retry.id).update(available_at=datetime.now(UTC))
            await services.jobs.drain()
        letter = await DeadLetter.get(name=NOTIFY_JOB)
    assert len(attempts) == 5
    assert letter.transient and letter.next_replay_at is not None and letter.resolved_at is None
    assert letter.key == f"notify:{message.id}" and "Read-only file system" in letter.error

    settings = settings_for(backend, services.settings.var_dir)
    assert await cli.cmd_jobs_failed(settings, argparse.Namespace(all=False, limit=10, verbose=False)) == 0
    listed = capsys.readouterr().out
    assert f"{letter.id}\t{NOTIFY_JOB}" in listed and "auto-replay" in listed

    # the operator replays it once the disk is fixed (the command runs it through the queue)
    monkeypatch.undo()
    assert await cli.cmd_jobs_retry(settings, argparse.Namespace(ids=[letter.id], all=False)) == 0
    assert f"queued {letter.id}" in capsys.readouterr().out
    assert [sent["id"] for sent in _sent(client)] == [message.id]
    with use_orm(services.orm):
        assert (await DeadLetter.get(id=letter.id)).resolved_at is not None
    assert await cli.cmd_jobs_retry(settings, argparse.Namespace(ids=[letter.id], all=False)) == 1


async def test_transient_dead_letters_are_replayed_automatically(client, monkeypatch):
    services = client.services
    broken = True
    sent: list[str] = []

    async def flaky(message):
        if broken:
            raise OSError(28, "No space left on device")
        sent.append(message.id)

    monkeypatch.setattr(services.notifier, "send", flaky)
    message = _message()
    with use_orm(services.orm):
        letter = await DeadLetter.create(
            name=NOTIFY_JOB,
            payload=asdict(message),
            key=f"notify:{message.id}",
            attempts=5,
            error="OSError: full",
            transient=True,
            next_replay_at=datetime.now(UTC),
        )
        assert await services.jobs.relay.replay_dead_letters() == 1
        await services.jobs.drain()
        failed_again = await DeadLetter.get(id=letter.id)
        assert failed_again.replays == 1 and failed_again.resolved_at is None
        assert failed_again.next_replay_at > datetime.now(UTC)  # the pause grows
        broken = False
        await DeadLetter.filter(id=letter.id).update(next_replay_at=datetime.now(UTC))
        assert await services.jobs.relay.replay_dead_letters() == 1
        await services.jobs.drain()
        assert (await DeadLetter.get(id=letter.id)).resolved_at is not None
    assert sent == [message.id]


async def test_the_ticker_survives_redis_errors_and_records_each_run():
    redis = fakeredis.FakeAsyncRedis(decode_responses=True)
    kicked = []
    failures = [ConnectionError("redis went away"), TimeoutError("redis froze")]
    real_set = redis.set

    async def flaky_set(*args, **kwargs):
        if failures:
            raise failures.pop(0)
        return await real_set(*args, **kwargs)

    redis.set = flaky_set

    async def kick(name):
        kicked.append(name)

    ticker = Ticker(redis, {"demo.periodic": 60}, kick, heartbeat=True, interval=0.01)
    task = asyncio.create_task(ticker.run())
    try:
        for _ in range(400):
            if kicked and await redis.exists(HEARTBEAT_PREFIX + ticker.worker_id):
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert kicked == ["demo.periodic"] and not failures  # it tried again after both errors
    assert float(await redis.hget(LAST_RUN_KEY, "demo.periodic")) > 0


async def test_worker_health_reports_missing_workers_and_missed_periods():
    redis = fakeredis.FakeAsyncRedis(decode_responses=True)
    assert (await worker_health(redis))["status"] == "missing"
    now = time.time()
    beat = {"pid": 1, "started": now - 3600, "last_tick": now, "periods": {"a.hourly": 3600, "b.minute": 60}}
    await redis.set(HEARTBEAT_PREFIX + "w1", json.dumps(beat), ex=20)
    await redis.hset(LAST_RUN_KEY, mapping={"a.hourly": now - 10, "b.minute": now - 30})
    assert await worker_health(redis) == {"status": "ok", "workers": 1, "missed": []}
    await redis.hset(LAST_RUN_KEY, "b.minute", now - 600)  # ten periods without a run
    assert await worker_health(redis) == {"status": "degraded", "workers": 1, "missed": ["b.minute"]}


def test_jobs_commands_parse():
    from core.settings import Settings

    parser = cli.build_parser(Settings(plugins="account"))
    assert parser.parse_args(["jobs", "failed", "--all"]).func is cli.cmd_jobs_failed
    retry = parser.parse_args(["jobs", "retry", "3", "4"])
    assert retry.func is cli.cmd_jobs_retry and retry.ids == [3, 4]


async def test_a_redis_error_at_publish_never_fails_a_committed_reply(client, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from tests.tickets import create_ticket, reply

    services = client.services
    user = await client.signup()
    ticket = await create_ticket(client, user)
    await services.jobs.drain()

    async def redis_down(*args, **kwargs):
        raise RedisConnectionError("redis is down")

    monkeypatch.setattr(services.redis, "publish", redis_down)
    # the reply commits and answers success although its broadcast fails
    assert (await reply(client, user, ticket["id"], "still there?"))["__typename"] == "TicketMessage"
    await services.jobs.drain()
    with use_orm(services.orm):
        # the event waits in the outbox
        retry = await OutboxMessage.get(relayed_at=None, kind="event")
        assert retry.name == "ticket.replied" and "redis is down" in retry.last_error
        # once Redis is back, the sweep broadcasts it
        monkeypatch.undo()
        published = []
        real_publish = services.redis.publish

        async def recording(channel, message):
            published.append(channel)
            return await real_publish(channel, message)

        monkeypatch.setattr(services.redis, "publish", recording)
        await OutboxMessage.filter(id=retry.id).update(available_at=datetime.now(UTC))
    await services.jobs.drain()
    assert "selfserve:events:ticket.replied" in published
    with use_orm(services.orm):
        assert not await OutboxMessage.filter(relayed_at=None).exists()
