import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="AuditEntry",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ("actor_kind", fields.CharField(description="USER, APP or SYSTEM.", max_length=16)),
                ("actor_id", fields.CharField(null=True, db_index=True, max_length=64)),
                ("action", fields.CharField(db_index=True, max_length=100)),
                ("target_type", fields.CharField(null=True, max_length=64)),
                ("target_id", fields.CharField(null=True, db_index=True, max_length=64)),
                ("reason", fields.TextField(null=True, unique=False)),
                ("ip", fields.CharField(null=True, max_length=64)),
                (
                    "data",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
            ],
            options={
                "table": "core_audit_entry",
                "app": "core",
                "pk_attr": "id",
                "table_description": "Append-only audit log of staff and app actions.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboxMessage",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "kind",
                    fields.CharField(
                        description="`job` (run a job by name) or `event` (a domain event for hooks, subscribers and webhooks).",
                        max_length=16,
                    ),
                ),
                ("name", fields.CharField(max_length=120)),
                (
                    "payload",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "key",
                    fields.CharField(
                        null=True,
                        unique=True,
                        description="Idempotency key: a second row with the same key is not written (one effect per key).",
                        max_length=200,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "available_at",
                    fields.DatetimeField(
                        db_index=True,
                        description="Not relayed before this time (delayed work, relay back-off).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "relayed_at",
                    fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("attempts", fields.IntField(default=0)),
                ("last_error", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "core_outbox",
                "app": "core",
                "pk_attr": "id",
                "table_description": "Transactional outbox: jobs and events recorded with the change they follow.",
            },
            bases=["Model"],
        ),
    ]
