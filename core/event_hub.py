"""One redis pub/sub connection per process for every live subscription.

A pub/sub connection per subscriber exhausts redis-py's pool (100 connections) and Redis itself once
hundreds of websockets sit on one process. The hub subscribes each channel once and fans events out
to the local subscribers' queues.

Only the reader task touches the pub/sub connection: subscribers register their queue and wait until
the reader has Redis' confirmation of the SUBSCRIBE. When the connection fails the reader opens a new
one and subscribes every channel again (backoff up to `MAX_BACKOFF` seconds, so subscribers hear
events again within seconds of Redis returning), logging once per outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator
from typing import Any

from core.availability import REDIS, ServiceUnavailable
from core.events import CHANNEL_PREFIX, Event
from core.tasks import stop_task

logger = logging.getLogger("selfserve.events")
QUEUE_SIZE = 1000
#: How long a new subscriber waits for Redis to confirm its channels before giving up.
SUBSCRIBE_TIMEOUT = 5.0
#: How long the reader blocks on the socket; also the longest a new channel waits to be subscribed.
POLL_SECONDS = 0.2
MAX_BACKOFF = 2.0


class EventHub:
    """Shared pub/sub reader: `subscribe(*channels)` yields the events published on them (any process)."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis
        self._pubsub: Any = None
        #: channel -> the local subscribers' queues (what the reader must be subscribed to).
        self._queues: dict[str, set[asyncio.Queue]] = {}
        #: channels Redis confirmed on the current connection, and those asked for but not confirmed.
        self._subscribed: set[str] = set()
        self._requested: set[str] = set()
        #: channel -> futures of subscribers waiting for the confirmation.
        self._waiting: dict[str, list[asyncio.Future]] = {}
        self._reader: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._closed = False
        self._down_since: float | None = None
        #: Counts pub/sub connections: a cache filled on one connection must not outlive it.
        self._connection_number = 0

    async def subscribe(self, *channels: str) -> AsyncGenerator[Event, None]:
        """Events on any of `channels` from the moment this returns its first value onwards.

        Raises `ServiceUnavailable` when Redis does not confirm the subscription in time."""
        queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        try:
            await self._add(channels, queue)
            while True:
                yield await queue.get()
        finally:
            self._remove(channels, queue)

    async def _add(self, channels: tuple[str, ...], queue: asyncio.Queue) -> None:
        loop = asyncio.get_running_loop()
        confirmations = []
        for channel in channels:
            self._queues.setdefault(channel, set()).add(queue)
            if channel not in self._subscribed:
                future = loop.create_future()
                self._waiting.setdefault(channel, []).append(future)
                confirmations.append(future)
        self._ensure_reader()
        if confirmations:
            self._wake.set()
            try:
                # `asyncio.timeout`, not `wait_for`: on 3.11 `wait_for` drops a cancellation that
                # arrives as the confirmation does, and the subscriber then waits forever.
                async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
                    await asyncio.gather(*confirmations)
            except TimeoutError:
                raise ServiceUnavailable(REDIS) from None

    def _remove(self, channels: tuple[str, ...], queue: asyncio.Queue) -> None:
        # The reader unsubscribes channels nobody listens to any more.
        for channel in channels:
            listeners = self._queues.get(channel)
            if listeners is not None:
                listeners.discard(queue)
                if not listeners:
                    del self._queues[channel]
                    self._waiting.pop(channel, None)
        self._wake.set()

    def listening(self, channel: str) -> int | None:
        """The number of the current connection when Redis has confirmed `channel` on it (every
        event published on it from then on reaches this process), else None. Caches invalidated
        by events use it: an entry is trusted only while the connection it was filled on lives."""
        if channel in self._subscribed and self._pubsub is not None and self._down_since is None:
            return self._connection_number
        return None

    def _ensure_reader(self) -> None:
        if not self._closed and (self._reader is None or self._reader.done()):
            self._reader = asyncio.get_running_loop().create_task(self._read(), name="event-hub")

    async def _read(self) -> None:
        # The flag, not only cancellation, ends the loop: redis clients' `get_message` timeouts can
        # swallow a CancelledError that arrives while they wait.
        backoff = 0.0
        while not self._closed:
            try:
                if not self._queues and not (self._subscribed or self._requested):
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), 1.0)
                    continue
                await self._sync()
                message = await self._pubsub.get_message(timeout=POLL_SECONDS)
                self._recovered()
                backoff = 0.0
                if message:
                    self._handle(message)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - any failure means: a new connection
                self._failed(error)
                await self._drop_connection()
                backoff = min(MAX_BACKOFF, max(0.1, backoff * 2))
                await asyncio.sleep(backoff)

    async def _sync(self) -> None:
        """Make the connection's subscriptions match what local subscribers want."""
        if self._pubsub is None:
            self._pubsub = self._redis.pubsub()
            self._connection_number += 1
            self._subscribed, self._requested = set(), set()
        wanted = set(self._queues)
        missing = wanted - self._subscribed - self._requested
        extra = (self._subscribed | self._requested) - wanted
        if missing:
            await self._pubsub.subscribe(*(CHANNEL_PREFIX + c for c in sorted(missing)))
            self._requested |= missing
        if extra:
            await self._pubsub.unsubscribe(*(CHANNEL_PREFIX + c for c in sorted(extra)))
            self._subscribed -= extra
            self._requested -= extra

    def _handle(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        channel = str(message.get("channel", "")).removeprefix(CHANNEL_PREFIX)
        if kind == "subscribe":
            self._requested.discard(channel)
            self._subscribed.add(channel)
            for future in self._waiting.pop(channel, ()):
                if not future.done():
                    future.set_result(None)
        elif kind == "message":
            self._dispatch(channel, message)

    def _dispatch(self, channel: str, message: dict[str, Any]) -> None:
        try:
            event = Event.from_json(message["data"])
        except (ValueError, TypeError):
            logger.warning("unreadable event on %s", channel)
            return
        for queue in list(self._queues.get(channel, ())):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:  # a stalled websocket must not hold the others back
                logger.warning("dropping an event for a slow subscriber of %s", channel)

    def _failed(self, error: BaseException) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            logger.warning(
                "event hub lost redis (%s: %s); resubscribing when it is back",
                type(error).__name__,
                str(error)[:200],
            )

    def _recovered(self) -> None:
        if self._down_since is not None:
            logger.warning(
                "event hub back on redis after %.1f s, resubscribing %d channel(s)",
                time.monotonic() - self._down_since,
                len(self._queues),
            )
            self._down_since = None

    async def _drop_connection(self) -> None:
        old, self._pubsub = self._pubsub, None
        self._subscribed, self._requested = set(), set()
        # Every channel still wanted is subscribed again on the next connection.
        if old is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(old.aclose(), 1.0)

    async def close(self) -> None:
        """Stop reading and close the connection (process shutdown)."""
        self._closed = True
        self._wake.set()
        await stop_task(self._reader)
        await self._drop_connection()
