"""core.tasks.stop_task: shutdown does not hang on a task whose cancellation was swallowed."""

from __future__ import annotations

import asyncio
import time

from core.tasks import stop_task


async def _swallows_once(started: asyncio.Event) -> None:
    started.set()
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        pass  # what `wait_for` on 3.11 does when the inner result and the cancellation race
    await asyncio.sleep(3600)  # ... and then the task waits on something else


class _Stubborn:
    """A task body that ignores every cancellation until `released`."""

    def __init__(self) -> None:
        self.released = False

    async def __call__(self, started: asyncio.Event) -> None:
        started.set()
        while not self.released:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue


async def _start(function) -> asyncio.Task:
    started = asyncio.Event()
    task = asyncio.create_task(function(started))
    await started.wait()
    return task


async def test_a_swallowed_cancellation_is_repeated_until_the_task_ends():
    task = await _start(_swallows_once)
    await stop_task(task)
    assert task.cancelled()


async def test_a_task_that_never_ends_holds_up_shutdown_only_until_the_timeout():
    stubborn = _Stubborn()
    task = await _start(stubborn)
    began = time.monotonic()
    await stop_task(task, timeout=0.3)
    assert not task.done()
    assert time.monotonic() - began < 2.0
    stubborn.released = True  # the test's own clean-up: let it end now
    task.cancel()
    await asyncio.wait({task}, timeout=1)
    assert task.done()


async def test_a_finished_or_missing_task_is_nothing_to_stop():
    await stop_task(None)
    done = asyncio.create_task(asyncio.sleep(0))
    await done
    await stop_task(done)
    assert done.done() and not done.cancelled()
