import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DeadLetter",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
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
                        null=True, description="The job's idempotency key, if it had one.", max_length=200
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                ("error", fields.TextField(unique=False)),
                (
                    "transient",
                    fields.BooleanField(
                        default=False,
                        description="The error looked transient (OSError, connection or timeout): replayed automatically.",
                    ),
                ),
                ("failed_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ("replays", fields.IntField(default=0)),
                (
                    "next_replay_at",
                    fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False),
                ),
                ("retried_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "resolved_at",
                    fields.DatetimeField(
                        null=True,
                        db_index=True,
                        description="Set when a replay finished: the letter is then history, not work.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
            ],
            options={
                "table": "core_dead_letter",
                "app": "core",
                "pk_attr": "id",
                "table_description": "Jobs that failed every retry (the dead-letter list).",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="OutboxMessage",
            name="labels",
            field=fields.JSONField(
                default=dict,
                description="taskiq labels sent with the job (retry count, the dead letter it replays, its job key).",
                encoder=functools.partial(dumps, separators=(",", ":")),
                decoder=loads,
            ),
        ),
    ]
