"""Live subscriptions re-check the subscriber's token."""

from __future__ import annotations


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
