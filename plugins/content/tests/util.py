"""Steps of the content tests alone: the outbox's notification kinds, and the ORM for assertions
on what the API does not show (media samples are in `tests.samples`, upload and moderation steps
in `tests.moderation`)."""

from __future__ import annotations

from core.db import use_orm


async def outbox_kinds(client) -> list[str]:
    """Notification kinds delivered so far (after draining jobs)."""
    await client.services.jobs.drain()
    return [m.get("kind") for m in client.services.notifier.read()]


async def db(client, coro_factory):
    """Run a database coroutine in the app's ORM context."""
    with use_orm(client.services.orm):
        return await coro_factory()
