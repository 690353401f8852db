import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial"), ("content", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Appeal",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "decision",
                    fields.OneToOneField(
                        "content.Decision",
                        source_field="decision_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="appeal",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="appeals",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("reason", fields.TextField(unique=False)),
                (
                    "evidence",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("status", fields.CharField(default="SUBMITTED", db_index=True, max_length=12)),
                ("round", fields.SmallIntField(default=1)),
                (
                    "reviewer",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="reviewer_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "first_reviewer",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="first_reviewer_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("note", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("due_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "appeals_appeal",
                "app": "appeals",
                "pk_attr": "id",
                "table_description": "A user's appeal against a moderation decision. `round` is 1, or 2 once escalated, and",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AppealEvent",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "appeal",
                    fields.ForeignKeyField(
                        "appeals.Appeal",
                        source_field="appeal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                ("note", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "appeals_event",
                "app": "appeals",
                "pk_attr": "id",
                "table_description": "One step in an appeal's audit trail (submitted, review started, decided, each restoration",
            },
            bases=["Model"],
        ),
    ]
