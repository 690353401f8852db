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

    class Meta:
        app = "core"
        table = "core_outbox"
        table_description = "Transactional outbox: jobs and events recorded with the change they follow."


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
