"""Stopping background tasks at shutdown, also when a cancellation was swallowed."""

from __future__ import annotations

import asyncio
import contextlib


async def stop_task(task: asyncio.Task | None, timeout: float = 5.0) -> None:
    """Cancel `task` and wait until it has finished, for at most `timeout` seconds.

    A single `cancel()` is not always enough on Python 3.11: `asyncio.wait_for` (ours, or a redis
    client's) returns the inner result and drops the cancellation when both happen in the same
    loop iteration, and the task then waits on something else forever; a shutdown that awaited it
    hung with it. So the cancellation is repeated until the task is done, and the wait is bounded:
    a task that never ends is left behind rather than holding up the process's shutdown."""
    if task is None or task.done():
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not task.done() and loop.time() < deadline:
        task.cancel()
        await asyncio.wait({task}, timeout=min(0.1, max(0.0, deadline - loop.time())))
    if task.done() and not task.cancelled():
        with contextlib.suppress(Exception):
            task.exception()  # retrieved: asyncio would log it as never retrieved
