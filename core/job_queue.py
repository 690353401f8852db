"""The job queue for `selfserve worker` pools: a Redis stream with a consumer group
(taskiq-redis' `RedisStreamBroker`), acknowledged after the job finished, so a job a dying worker had
taken is re-claimed by another worker once it has been idle `idle_timeout` (XAUTOCLAIM).

What this subclass changes, and why:
- `listen` survives Redis outages: any Redis or socket error is logged once per outage and the
  loop reconnects with back-off (the upstream loop ends on the first `redis` ConnectionError).
- idle messages are re-claimed on every round, also when no new message arrived (upstream only
  re-claims after a read that returned something, so a quiet queue never recovers lost jobs).
- an acknowledged message is also deleted (XACK + XDEL), so the stream holds only unfinished work
  and never needs trimming (trimming by length could drop a pending message).
- the consumer group is declared when listening, not at start-up: API processes only add jobs and
  must start while Redis is down.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry
from taskiq import AckableMessage
from taskiq.receiver import Receiver
from taskiq_redis import RedisStreamBroker

from core.outage import Outage

logger = logging.getLogger("selfserve.jobs")

STREAM = "selfserve:jobs:stream"
GROUP = "selfserve-workers"
#: Errors that mean "Redis is unreachable or hangs" (socket errors are OSError subclasses).
REDIS_DOWN = (RedisError, OSError, asyncio.TimeoutError)


class StreamBroker(RedisStreamBroker):
    """At-least-once job queue on a Redis stream (see the module docstring)."""

    def __init__(self, url: str, *, idle_timeout_seconds: float, batch: int, block_ms: int = 2000) -> None:
        super().__init__(
            url,
            queue_name=STREAM,
            consumer_group_name=GROUP,
            consumer_name=f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}",
            consumer_id="0",
            xread_block=block_ms,
            xread_count=batch,
            idle_timeout=int(idle_timeout_seconds * 1000),
            unacknowledged_batch_size=batch,
            # A blocked XREADGROUP answers within `block_ms`: a longer silence is a frozen Redis.
            socket_timeout=block_ms / 1000 + 5,
            socket_connect_timeout=5,
            health_check_interval=10,
            # A pooled connection that an outage closed fails once: try it again on a fresh one
            # (otherwise every stale connection costs an unacknowledged job after Redis returns).
            retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), 3),
            retry_on_error=[RedisConnectionError, RedisTimeoutError, OSError],
        )
        self._outage = Outage(logger, "job queue (redis)")

    async def startup(self) -> None:
        """Start without touching Redis (the consumer group is declared by `listen`)."""
        await super(RedisStreamBroker, self).startup()

    def _ack_generator(self, id: str, queue_name: str) -> Callable[[], Awaitable[None]]:
        async def ack() -> None:
            # Right after an outage a pooled connection may still be a dead one: try again.
            failure: BaseException | None = None
            for attempt in range(1, 4):
                try:
                    async with Redis(connection_pool=self.connection_pool) as redis:
                        async with redis.pipeline(transaction=True) as pipe:
                            pipe.xack(queue_name, self.consumer_group_name, id)
                            pipe.xdel(queue_name, id)
                            await pipe.execute()
                    return
                except REDIS_DOWN as error:
                    failure = error
                    await asyncio.sleep(0.2 * attempt)
            # Unacknowledged, the message is re-claimed and run again (jobs are idempotent).
            logger.warning("could not acknowledge job %s (it will run again): %s", id, failure)

        return ack

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        """Yield messages for ever: new ones, then idle ones re-claimed from dead consumers."""
        pause = 0.5
        declared = False
        while True:
            try:
                async with Redis(connection_pool=self.connection_pool) as redis:
                    if not declared:
                        await self._declare_consumer_group()
                        declared = True
                    while True:
                        for message in await self._read_new(redis):
                            yield message
                        self._outage.recovered()
                        pause = 0.5
                        for message in await self._reclaim(redis):
                            yield message
            except REDIS_DOWN as error:
                if isinstance(error, ResponseError) and "NOGROUP" in str(error):
                    declared = False  # Redis restarted without its data: declare the group again
                self._outage.failed(error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)

    async def _read_new(self, redis: Redis) -> list[AckableMessage]:
        fetched = await redis.xreadgroup(
            self.consumer_group_name,
            self.consumer_name,
            {self.queue_name: ">"},
            block=self.block,
            count=self.count,
        )
        # RESP2 answers `[[stream, entries], ...]`, RESP3 `{stream: entries}`.
        streams: list[Any] = list(fetched.items()) if isinstance(fetched, dict) else fetched or []
        return [
            self._message(stream, msg_id, fields)
            for stream, entries in streams
            for msg_id, fields in entries
            if fields
        ]

    async def _reclaim(self, redis: Redis) -> list[AckableMessage]:
        claimed: Any = await redis.xautoclaim(
            self.queue_name,
            self.consumer_group_name,
            self.consumer_name,
            min_idle_time=self.idle_timeout,
            count=self.unacknowledged_batch_size,
        )
        entries = claimed[1] if claimed else []
        if entries:
            logger.info("re-claimed %d job(s) a stopped worker had taken", len(entries))
        return [self._message(self.queue_name, msg_id, fields) for msg_id, fields in entries if fields]

    def _message(self, stream: Any, msg_id: Any, fields: dict) -> AckableMessage:
        if isinstance(stream, bytes):
            stream = stream.decode()
        return AckableMessage(data=fields[b"data"], ack=self._ack_generator(id=msg_id, queue_name=stream))


class WorkerReceiver(Receiver):
    """taskiq's receiver, for `selfserve worker`: a job whose retry or dead letter could not be
    written (the database is down) is left unacknowledged, to be redelivered after the claim
    timeout; that is logged once per outage instead of as an unretrieved task error per job."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._outage = Outage(logger, "job bookkeeping (retry or dead letter)", quiet_seconds=5)

    async def callback(self, message: bytes | AckableMessage, raise_err: bool = False) -> None:
        """Run one message; never raise."""
        try:
            await super().callback(message, raise_err=raise_err)
        except Exception as error:  # noqa: BLE001 - unacknowledged: it comes back
            self._outage.failed(error)
        else:
            self._outage.recovered()
