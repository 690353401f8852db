"""core.event_hub: one pub/sub subscription per channel, fanned out to local subscribers."""

from __future__ import annotations

import asyncio
import contextlib

from core.event_hub import EventHub
from core.events import Event


async def _first(iterator, timeout: float = 20.0):
    return await asyncio.wait_for(iterator.__anext__(), timeout)


async def test_many_subscribers_share_one_channel_subscription(client):
    redis = client.services.redis
    hub = EventHub(redis)
    streams = [hub.subscribe("ticket:1") for _ in range(50)]
    other = hub.subscribe("ticket:2")
    try:
        pending = [asyncio.ensure_future(_first(s)) for s in [*streams, other]]
        for _ in range(100):  # let every generator register its queue
            if len(hub._queues.get("ticket:1", ())) == 50 and "ticket:2" in hub._queues:
                break
            await asyncio.sleep(0.05)
        assert len(hub._queues["ticket:1"]) == 50
        assert (await redis.pubsub_numsub("selfserve:events:ticket:1"))[0][1] == 1
        await client.services.events.publish(Event("ticket.replied", {"n": 1}, channels=("ticket:1",)))
        received = await asyncio.gather(*pending[:-1])
        assert {event.payload["n"] for event in received} == {1}
        assert not pending[-1].done()  # another ticket's subscriber got nothing
        pending[-1].cancel()
    finally:
        for stream in [*streams, other]:
            with contextlib.suppress(Exception):
                await stream.aclose()
        await hub.close()
    assert hub._queues == {}


async def test_the_event_bus_subscribes_through_the_shared_hub(client):
    events = client.services.events
    async with contextlib.aclosing(events.subscribe("ticket:9", "ticket:10")) as stream:
        pending = asyncio.ensure_future(_first(stream))
        # Events published before Redis confirmed the subscription are not replayed (pub/sub), so
        # publish until one arrives: the subscription is live once it does.
        for _ in range(100):
            await events.publish(Event("ticket.replied", {"n": 10}, channels=("ticket:10",)))
            done, _ = await asyncio.wait({pending}, timeout=0.2)
            if done:
                break
        assert (await pending).payload["n"] == 10
