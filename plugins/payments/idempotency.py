"""Idempotent money operations with Stripe's semantics.

- The same key with the same input returns the first result (no second effect).
- The same key with other input is `IDEMPOTENCY_KEY_REUSED`.
- Concurrent duplicates produce exactly one effect: the key row is unique per (user, operation,
  key) and each request takes a row lock (`SELECT ... FOR UPDATE`) on it before doing anything, so
  duplicates wait for the first to commit and then replay its result. Nothing is checked in memory.
- A request that fails (a domain error) rolls back with its effect: the key stays unbound and a
  retry runs again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.errors import DomainError
from plugins.payments.models import IdempotencyKey

_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")


@dataclass(frozen=True)
class Outcome:
    """What an idempotent operation produced: the kind and id of its result, and whether this
    call replayed an earlier one."""

    kind: str
    id: int
    replayed: bool


def request_hash(scope: str, payload: dict[str, Any]) -> str:
    """A stable fingerprint of an operation's input (the key excluded)."""
    text = json.dumps({"scope": scope, "input": payload}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str, field: str = "input.idempotencyKey") -> str:
    """The key if it is 8 to 100 characters of letters, digits and `._:-` (a UUID fits)."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise DomainError(
            "INVALID_INPUT", field=field, detail="idempotency key: 8-100 letters, digits or ._:-"
        )
    return key


async def _reserve(user_id: int, scope: str, key: str, fingerprint: str) -> None:
    """Insert the key row unless it exists (its own transaction, committed at once)."""
    if await IdempotencyKey.filter(user_id=user_id, scope=scope, key=key).exists():
        return
    try:
        async with in_transaction():
            await IdempotencyKey.create(user_id=user_id, scope=scope, key=key, request_hash=fingerprint)
    except IntegrityError:
        pass  # a concurrent duplicate inserted it first: we wait on its row lock below


async def run_idempotent(
    user_id: int | str,
    scope: str,
    key: str,
    payload: dict[str, Any],
    effect: Callable[[], Awaitable[tuple[str, int]]],
) -> Outcome:
    """Run `effect` once per (user, scope, key). `effect` runs inside the transaction that holds the
    key's row lock and returns `(result kind, result id)`, stored on the key for replays."""
    uid = int(user_id)
    check_key(key)
    fingerprint = request_hash(scope, payload)
    for _ in range(3):
        await _reserve(uid, scope, key, fingerprint)
        async with in_transaction():
            row = await IdempotencyKey.filter(user_id=uid, scope=scope, key=key).select_for_update().first()
            if row is None:
                continue  # purged between reserve and lock: reserve again
            if row.result_kind is not None:
                if row.request_hash != fingerprint:
                    raise DomainError("IDEMPOTENCY_KEY_REUSED", field="input.idempotencyKey")
                return Outcome(row.result_kind, int(row.result_id or 0), True)
            kind, result_id = await effect()
            row.request_hash = fingerprint  # nothing happened under an unbound key before
            row.result_kind, row.result_id = kind, result_id
            await row.save(update_fields=["request_hash", "result_kind", "result_id"])
            return Outcome(kind, result_id, False)
    raise DomainError("INVALID_INPUT", field="input.idempotencyKey", detail="please retry")


async def purge_expired(retention_hours: int, now: datetime | None = None) -> int:
    """Delete keys older than the retention (kept at least `retention_hours`)."""
    cutoff = (now or datetime.now(UTC)) - timedelta(hours=retention_hours)
    return await IdempotencyKey.filter(created_at__lt=cutoff).delete()
