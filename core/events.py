"""Domain events: an in-process bus (the `on_event` hook) bridged to redis pub/sub, so that a
subscriber connected to one API process sees what another process published.

`publish` records the event in the transactional outbox (the caller's transaction). After commit
the outbox relay broadcasts it to subscribers (in commit order, from the committing process) and
queues the `core.event` job, which runs the `on_event` hooks. So an event exists exactly when the
change it reports committed, and a Redis error at publish time never turns a committed mutation
into an error (the relay tries again). Delivery is at least once: hooks and subscribers may see an
event twice after a failure.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncGenerator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from core import outbox
from core.context import Services
from core.db import use_orm
from core.plugins import call_async

logger = logging.getLogger("selfserve.events")

CHANNEL_PREFIX = "selfserve:events:"


@dataclass(frozen=True)
class Event:
    """Something that happened: `name` (e.g. `ticket.replied`), JSON-able `payload`, and the
    channels (besides the name) it is broadcast on, e.g. `ticket:42`."""

    name: str
    payload: dict[str, Any] = field(default_factory=dict)
    channels: tuple[str, ...] = ()
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def to_json(self) -> str:
        """Serialise for redis."""
        return json.dumps(asdict(self), ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str) -> Event:
        """Parse what `to_json` wrote."""
        data = json.loads(text)
        data["channels"] = tuple(data.get("channels") or ())
        return cls(**data)


class EventBus:
    """Publish events to the plugins in this process and to redis subscribers everywhere."""

    def __init__(self, pm: Any, redis: Any, services: Services, hub: Any) -> None:
        self._pm = pm
        self._redis = redis
        self._services = services
        self._hub = hub

    async def publish(self, event: Event) -> None:
        """Record `event` in the caller's transaction; it is dispatched after commit."""
        with use_orm(self._services.orm):
            await outbox.add_event(event)

    async def broadcast(self, event: Event | dict[str, Any]) -> None:
        """Publish on every channel of the event, for subscribers in every process (the outbox
        relay calls this right after commit, in order). Raises when Redis fails: the relay then
        keeps the event and tries again."""
        if isinstance(event, dict):
            event = event_from_record(event)
        message = event.to_json()
        for channel in (event.name, *event.channels):
            await self._redis.publish(CHANNEL_PREFIX + channel, message)

    async def run_hooks(self, event: Event) -> None:
        """Run the `on_event` hooks (the `core.event` job). A failing hook is logged, not raised:
        the write that caused the event has already happened."""
        try:
            await call_async(self._pm, "on_event", event=event, services=self._services)
        except Exception:
            logger.exception("on_event hook failed for %s", event.name)

    def subscribe(self, *channels: str) -> AsyncGenerator[Event, None]:
        """Yield events published on any of `channels` from now on (any process). All subscribers
        of a process share one pub/sub connection (`core.event_hub.EventHub`); close the iterator
        (`contextlib.aclosing`) when the subscriber goes away."""
        return self._hub.subscribe(*channels)

    async def close(self) -> None:
        """Stop the shared subscription reader (process shutdown)."""
        await self._hub.close()


def event_from_record(record: dict[str, Any]) -> Event:
    """The `Event` an outbox row recorded."""
    data = dict(record)
    data["channels"] = tuple(data.get("channels") or ())
    return Event(**data)


async def dispatch_event(services: Services, event: dict[str, Any]) -> None:
    """The `core.event` job: run the `on_event` hooks of one committed event."""
    await services.events.run_hooks(event_from_record(event))
