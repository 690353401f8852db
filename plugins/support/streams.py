"""A ticket's live event stream for one subscriber, re-checked on a timer that starts when the
subscription does: a signed-out or revoked session (or a subscriber who lost access) stops within
`subscription_recheck_seconds` even when no event arrives, and its websocket is closed with 4401
(not signed in any more) or 4403 (no longer allowed)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator
from typing import Any

from core.context import Actor, RequestContext
from core.errors import NotAuthenticated, NotFound
from core.events import Event
from plugins.support.access import event_visible, recheck_subscriber
from plugins.support.settings import support_settings

logger = logging.getLogger("selfserve.support")

#: Websocket close codes (graphql-transport-ws reserves 4400-4499 for the server).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


async def _close(context: Any, code: int) -> None:
    """End the subscriber's websocket: every subscription on it shares the lost session."""
    socket = context.request
    if socket is not None and hasattr(socket, "close"):
        with contextlib.suppress(Exception):  # already closing: nothing more to do
            await socket.close(code=code)


async def ticket_events(
    context: RequestContext, actor: Actor, ticket_id: int
) -> AsyncGenerator[tuple[Event, dict[str, Any]], None]:
    """Yield `(event, payload)` the subscriber may see, re-checking at the start and then every
    `subscription_recheck_seconds` whether or not events arrive."""
    interval = support_settings(context.services).subscription_recheck_seconds
    try:
        actor = await recheck_subscriber(context, actor, ticket_id)
    except NotAuthenticated:
        await _close(context, CLOSE_UNAUTHENTICATED)
        raise
    checked = time.monotonic()
    stream = context.services.events.subscribe(f"ticket:{ticket_id}")
    # One pending read is kept across timer ticks: cancelling a generator's read would end it.
    pending: asyncio.Task | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(stream))
            remaining = max(0.0, checked + interval - time.monotonic())
            done, _ = await asyncio.wait({pending}, timeout=remaining)
            if time.monotonic() - checked >= interval:
                try:
                    actor = await recheck_subscriber(context, actor, ticket_id)
                except (NotAuthenticated, NotFound) as lost:
                    code = CLOSE_UNAUTHENTICATED if isinstance(lost, NotAuthenticated) else CLOSE_FORBIDDEN
                    logger.info("ticket %s subscriber %s ended: %s", ticket_id, actor.user_id, lost.code)
                    await _close(context, code)
                    return
                checked = time.monotonic()
            if not done:
                continue
            try:
                event = pending.result()
            except StopAsyncIteration:
                return
            pending = None
            if event_visible(event.payload, actor):
                yield event, event.payload
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        await stream.aclose()
