"""One redis pub/sub connection per process for every live subscription.

A pub/sub connection per subscriber exhausts redis-py's pool (100 connections) and Redis itself once
hundreds of websockets sit on one process. The hub subscribes each channel once and fans events out
to the local subscribers' queues.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from core.events import CHANNEL_PREFIX, Event

logger = logging.getLogger("selfserve.events")
QUEUE_SIZE = 1000


class EventHub:
    """Shared pub/sub reader: `subscribe(*channels)` yields the events published on them (any process)."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis
        self._pubsub: Any = None
        self._queues: dict[str, set[asyncio.Queue]] = {}
        self._reader: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self._closed = False

    async def subscribe(self, *channels: str) -> AsyncIterator[Event]:
        """Events on any of `channels` from the moment this returns its first value onwards."""
        queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_SIZE)
        for channel in channels:
            await self._add(channel, queue)
        try:
            while True:
                yield await queue.get()
        finally:
            for channel in channels:
                await self._remove(channel, queue)

    async def _add(self, channel: str, queue: asyncio.Queue) -> None:
        async with self._lock:
            if self._pubsub is None:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            listeners = self._queues.setdefault(channel, set())
            listeners.add(queue)
            if len(listeners) == 1:
                await self._pubsub.subscribe(CHANNEL_PREFIX + channel)
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read())

    async def _remove(self, channel: str, queue: asyncio.Queue) -> None:
        async with self._lock:
            listeners = self._queues.get(channel, set())
            listeners.discard(queue)
            if not listeners and channel in self._queues:
                del self._queues[channel]
                with contextlib.suppress(Exception):  # the connection may already be gone
                    await self._pubsub.unsubscribe(CHANNEL_PREFIX + channel)

    async def _read(self) -> None:
        # The flag, not only cancellation, ends the loop: redis clients' `get_message` timeouts can
        # swallow a CancelledError that arrives while they wait.
        while not self._closed:
            try:
                if not self._queues:
                    await asyncio.sleep(0.1)
                    continue
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # lost connection: start a new one and subscribe again
                logger.exception("event reader failed, reconnecting")
                await asyncio.sleep(1.0)
                await self._reconnect()
                continue
            if message and message.get("type") == "message":
                self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        channel = str(message["channel"]).removeprefix(CHANNEL_PREFIX)
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

    async def _reconnect(self) -> None:
        async with self._lock:
            old, self._pubsub = self._pubsub, self._redis.pubsub(ignore_subscribe_messages=True)
            with contextlib.suppress(Exception):
                await old.aclose()
            if self._queues:
                await self._pubsub.subscribe(*(CHANNEL_PREFIX + c for c in self._queues))

    async def close(self) -> None:
        """Stop reading and close the connection (process shutdown)."""
        self._closed = True
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, 5)
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
