"""The per-process event hub: one pub/sub subscription per channel, fanned out to local subscribers."""

from __future__ import annotations

import asyncio
import contextlib

from core.events import Event
from plugins.support.hub import EventHub


async def _first(iterator, timeout: float = 5.0):
    return await asyncio.wait_for(iterator.__anext__(), timeout)


async def test_many_subscribers_share_one_channel_subscription(client):
    redis = client.services.redis
    hub = EventHub(redis)
    streams = [hub.subscribe("ticket:1") for _ in range(50)]
    other = hub.subscribe("ticket:2")
    try:
        pending = [asyncio.ensure_future(_first(s)) for s in [*streams, other]]
        await asyncio.sleep(0.2)  # let every generator register its queue
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


async def test_subscriber_token_is_rechecked(client):
    import time

    import pytest

    from core.context import RequestContext
    from core.db import use_orm
    from core.errors import NotAuthenticated
    from plugins.support.access import still_signed_in

    alice = await client.signup()
    context = RequestContext(
        services=client.services, connection_params={"authorization": f"Bearer {alice.token}"}
    )
    with use_orm(client.services.orm):
        actor = await still_signed_in(context, SimpleActor(alice))  # first call: just starts the clock
        context.remember("support.actor_checked_at", time.monotonic() - 60)
        fresh = await still_signed_in(context, actor)
        assert fresh.user_id == actor.user_id and context.actor is fresh
        context.remember("support.actor_checked_at", time.monotonic() - 60)
        context.connection_params = {"authorization": "Bearer not-a-token"}
        with pytest.raises(NotAuthenticated):
            await still_signed_in(context, fresh)


class SimpleActor:
    """The actor a subscription started with."""

    def __init__(self, account) -> None:
        from tests.helpers import account_user_pk

        self.user_id = account_user_pk(account)
