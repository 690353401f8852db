"""Core's own tables: the transactional outbox and the audit log (tortoise app label `core`).

Both are shared by every plugin, so they live in core rather than in any one plugin.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class OutboxMessage(Model):
    """Work that follows a database change, written in the same transaction as the change and
    relayed to the job queue after commit (a rolled-back change leaves no row)."""

    id = fields.BigIntField(primary_key=True)
    #: `job` (run a job by name) or `event` (a domain event for hooks, subscribers and webhooks).
    kind = fields.CharField(max_length=16)
    name = fields.CharField(max_length=120)
    payload: dict = fields.JSONField(default=dict)
    #: Idempotency key: a second row with the same key is not written (one effect per key).
    key = fields.CharField(max_length=200, null=True, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    #: Not relayed before this time (delayed work, relay back-off).
    available_at = fields.DatetimeField(db_index=True)
    relayed_at = fields.DatetimeField(null=True, db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)
    #: taskiq labels sent with the job (retry count, the dead letter it replays, its job key).
    labels: dict = fields.JSONField(default=dict)

    class Meta:
        app = "core"
        table = "core_outbox"
        table_description = "Transactional outbox: jobs and events recorded with the change they follow."


class DeadLetter(Model):
    """A job that failed every retry: kept for an operator to inspect and replay
    (`selfserve jobs failed`, `selfserve jobs retry ID`); transient failures (disk, network) are
    replayed automatically with a growing pause until one succeeds."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=120)
    payload: dict = fields.JSONField(default=dict)
    #: The job's idempotency key, if it had one.
    key = fields.CharField(max_length=200, null=True)
    attempts = fields.IntField(default=0)
    error = fields.TextField()
    #: The error looked transient (OSError, connection or timeout): replayed automatically.
    transient = fields.BooleanField(default=False)
    failed_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    replays = fields.IntField(default=0)
    next_replay_at = fields.DatetimeField(null=True, db_index=True)
    retried_at = fields.DatetimeField(null=True)
    #: Set when a replay finished: the letter is then history, not work.
    resolved_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        app = "core"
        table = "core_dead_letter"
        table_description = "Jobs that failed every retry (the dead-letter list)."


class JobDone(Model):
    """A keyed job that ran to completion: a redelivery or replay of it does nothing. Kept in the
    database, not in Redis, because a Redis outage is what makes the queue redeliver."""

    key = fields.CharField(max_length=200, primary_key=True)
    done_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        app = "core"
        table = "core_job_done"
        table_description = "Keyed jobs that finished (idempotency of redelivered jobs)."


class AuditEntry(Model):
    """One staff or app action on someone else's data. Append-only: the API never edits or deletes."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    #: USER, APP or SYSTEM.
    actor_kind = fields.CharField(max_length=16)
    actor_id = fields.CharField(max_length=64, null=True, db_index=True)
    action = fields.CharField(max_length=100, db_index=True)
    target_type = fields.CharField(max_length=64, null=True)
    target_id = fields.CharField(max_length=64, null=True, db_index=True)
    reason = fields.TextField(null=True)
    ip = fields.CharField(max_length=64, null=True)
    data: dict = fields.JSONField(default=dict)

    class Meta:
        app = "core"
        table = "core_audit_entry"
        table_description = "Append-only audit log of staff and app actions."
