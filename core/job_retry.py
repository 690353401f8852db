"""Retries with exponential back-off and jitter, then the dead-letter list.

A failed job is queued again through the outbox with `available_at` in the future (so the pause
costs no worker slot and survives a restart); after its last attempt it becomes a `DeadLetter` row
an operator lists and replays (`selfserve jobs failed`, `selfserve jobs retry ID`). A job whose
last error looks transient (a read-only or full disk, a network error, a timeout) is replayed
automatically by the outbox sweep with a growing pause (`SELFSERVE_JOBS_DEAD_REPLAY_SECONDS`
doubling up to an hour) until a replay succeeds.

If the database is down too, writing the retry or the letter fails: the middleware then raises, the
message is not acknowledged, and the queue redelivers it after the claim timeout. Nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.exceptions import RedisError
from taskiq import TaskiqMessage, TaskiqMiddleware, TaskiqResult
from taskiq.exceptions import NoResultError
from tortoise.exceptions import DBConnectionError, OperationalError

from core import outbox
from core.db import use_orm
from core.models import DeadLetter

logger = logging.getLogger("selfserve.jobs")

#: Labels a retry carries on (the job's idempotency key, the letter a replay comes from).
CARRIED_LABELS = ("job_key", "dead_letter_id")
TRANSIENT = (OSError, asyncio.TimeoutError, RedisError, DBConnectionError, OperationalError)


def is_transient(error: BaseException) -> bool:
    """Errors that go away by themselves (disk, network, a dependency's outage)."""
    return isinstance(error, TRANSIENT)


def describe(error: BaseException) -> str:
    """`Type: message`, bounded."""
    return f"{type(error).__name__}: {error}"[:2000]


class RetryMiddleware(TaskiqMiddleware):
    """taskiq middleware: back-off retries through the outbox, then a dead letter."""

    def __init__(self, orm: Any, settings: Any) -> None:
        super().__init__()
        self._orm = orm
        self._settings = settings

    async def on_error(
        self, message: TaskiqMessage, result: TaskiqResult[Any], exception: BaseException
    ) -> None:
        """Queue the next attempt, or write the dead letter after the last one."""
        if isinstance(exception, NoResultError):
            return
        labels = message.labels
        attempt = int(labels.get("_retries", 0)) + 1
        limit = 1 if labels.get("one_attempt") else int(labels.get("max_retries", 3))
        carried = {name: labels[name] for name in CARRIED_LABELS if labels.get(name) is not None}
        with use_orm(self._orm):
            if attempt < limit:
                delay = outbox.backoff(
                    attempt, self._settings.jobs_retry_base_seconds, self._settings.jobs_retry_max_seconds
                )
                await outbox.add_job(
                    message.task_name, message.kwargs, delay=delay, labels={**carried, "_retries": attempt}
                )
                logger.info(
                    "job %s failed (%s), attempt %d of %d; next in %.1f s",
                    message.task_name,
                    describe(exception),
                    attempt,
                    limit,
                    delay,
                )
            else:
                letter = await dead_letter(message, exception, attempt, self._settings)
                logger.error(
                    "job %s failed %d time(s) (%s): dead letter %s",
                    message.task_name,
                    attempt,
                    describe(exception),
                    letter,
                )
        result.error = NoResultError()


async def dead_letter(message: TaskiqMessage, error: BaseException, attempts: int, settings: Any) -> int:
    """Write (or, for a failed replay, update) the dead letter of `message`; returns its id."""
    transient = is_transient(error)
    now = datetime.now(UTC)
    existing = message.labels.get("dead_letter_id")
    if existing is not None:
        letter = await DeadLetter.get_or_none(id=int(existing))
        if letter is not None:
            pause = outbox.backoff(letter.replays + 1, settings.jobs_dead_replay_seconds, 3600.0)
            await DeadLetter.filter(id=letter.id).update(
                error=describe(error),
                transient=transient,
                attempts=letter.attempts + attempts,
                next_replay_at=now + timedelta(seconds=pause) if transient else None,
            )
            return letter.id
    pause = outbox.backoff(1, settings.jobs_dead_replay_seconds, 3600.0)
    letter = await DeadLetter.create(
        name=message.task_name,
        payload=message.kwargs,
        key=message.labels.get("job_key"),
        attempts=attempts,
        error=describe(error),
        transient=transient,
        next_replay_at=now + timedelta(seconds=pause) if transient else None,
    )
    return letter.id
