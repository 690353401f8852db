"""Retry-safe creation: a mutation that creates something a user typed (a ticket, a reply, a
comment, a forum post, an appeal, feedback, an inquiry) accepts an optional `clientMutationId`.

A client that lost the answer (a timeout, a dropped connection, a 503 after the commit) sends the
same request again with the same key and gets the first result back; nothing new is created.

- The receipt row is unique per (actor, operation, key) and is inserted in the same transaction as
  the effect, before it: a concurrent duplicate waits on the unique index until the first commits,
  then replays its result. If the effect fails, the receipt rolls back with it and a retry runs again.
- The same key with other input is `INVALID_INPUT` on `clientMutationId` (a client bug, not a retry).
- Anonymous callers (an advertising inquiry) are scoped by their address.

Money keeps its own stricter path (`plugins.payments.idempotency`, required keys).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from tortoise import fields
from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from core.errors import DomainError

T = TypeVar("T")

#: The tortoise app of the receipts (its own label, so its migrations never collide with core's).
APP = "idempotency"
FIELD = "input.clientMutationId"
_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
#: How long a key is remembered; a client retries within minutes, not days.
RETENTION = timedelta(hours=24)


class MutationReceipt(Model):
    """One `clientMutationId` used by an actor for an operation: the fingerprint of the input it
    came with and the id of what it created."""

    id = fields.BigIntField(primary_key=True)
    actor = fields.CharField(max_length=80, description="`user:<id>` or `anon:<address>`.")
    operation = fields.CharField(max_length=60)
    key = fields.CharField(max_length=100)
    request_hash = fields.CharField(max_length=64)
    result_id = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        app = APP
        table = "core_mutation_receipt"
        unique_together = (("actor", "operation", "key"),)
        table_description = "clientMutationId receipts: a retried create returns the first result."


class _Duplicate(Exception):
    """Another request with the same key committed first."""


def actor_scope(context: Any) -> str:
    """Whose keys these are: the signed-in user or the app, else the client address."""
    caller = getattr(context, "caller", None) or getattr(context, "actor", None)
    if caller is None:
        return f"anon:{getattr(context, 'ip', '')}"
    # An app's user_id is already `app:<id>`: apps never share a scope with users or each other.
    return caller.user_id if caller.is_app else f"user:{caller.user_id}"


def fingerprint(operation: str, payload: dict[str, Any]) -> str:
    """A stable hash of the input (uploads count by name and size, not by content)."""
    text = json.dumps({"op": operation, "input": payload}, sort_keys=True, ensure_ascii=False, default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if hasattr(value, "filename"):  # an upload
        return {"file": getattr(value, "filename", ""), "size": getattr(value, "size", None)}
    return str(value)


def check_key(key: str, field: str = FIELD) -> str:
    """The key if it is 8 to 100 letters, digits or `._:-` (a UUID fits)."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise DomainError(
            "INVALID_INPUT", field=field, detail="clientMutationId: 8-100 letters, digits or ._:-"
        )
    return key


async def create_once(
    context: Any,
    operation: str,
    key: str | None,
    payload: dict[str, Any],
    effect: Callable[[], Awaitable[T]],
    replay: Callable[[str], Awaitable[T]],
    identify: Callable[[T], Any] = lambda result: result.pk,  # type: ignore[attr-defined]
    *,
    field: str = FIELD,
) -> T:
    """Run `effect` once per (actor, `operation`, `key`); a repeat returns `replay(id of the first
    result)`. Without a key `effect` simply runs."""
    if key is None:
        return await effect()
    check_key(key, field)
    scope = actor_scope(context)
    digest = fingerprint(operation, payload)
    found = await MutationReceipt.get_or_none(actor=scope, operation=operation, key=key)
    if found is not None:
        return await _replay(found, digest, replay, field)
    try:
        async with in_transaction():
            try:
                receipt = await MutationReceipt.create(
                    actor=scope, operation=operation, key=key, request_hash=digest
                )
            except IntegrityError:
                raise _Duplicate() from None
            result = await effect()
            receipt.result_id = str(identify(result))
            await receipt.save(update_fields=["result_id"])
        return result
    except _Duplicate:
        found = await MutationReceipt.get(actor=scope, operation=operation, key=key)
        return await _replay(found, digest, replay, field)


async def _replay(
    receipt: MutationReceipt, digest: str, replay: Callable[[str], Awaitable[T]], field: str
) -> T:
    if receipt.request_hash != digest:
        raise DomainError(
            "INVALID_INPUT", field=field, detail="this clientMutationId was used for other input"
        )
    return await replay(receipt.result_id)


#: The periodic job that forgets old receipts.
PURGE_JOB = "core.purge_mutation_receipts"


async def purge_expired(services: Any = None, now: datetime | None = None) -> int:
    """Forget receipts older than `RETENTION` (the `PURGE_JOB`, hourly)."""
    return await MutationReceipt.filter(created_at__lt=(now or datetime.now(UTC)) - RETENTION).delete()
