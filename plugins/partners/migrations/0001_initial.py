import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="App",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("name", fields.CharField(max_length=100)),
                (
                    "permissions",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("token_hint", fields.CharField(max_length=20)),
                ("rate_limit_per_minute", fields.IntField(default=700)),
                ("created_by", fields.CharField(null=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("last_used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "partners_app",
                "app": "partners",
                "pk_attr": "id",
                "table_description": "A partner integration. Its token is shown once, only its SHA-256 is kept.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookSubscription",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "app",
                    fields.ForeignKeyField(
                        "partners.App",
                        source_field="app_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="subscriptions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("url", fields.CharField(max_length=2000)),
                (
                    "events",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "secrets",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("disabled_reason", fields.CharField(null=True, max_length=300)),
                (
                    "failing_since",
                    fields.DatetimeField(
                        null=True,
                        description="Start of the current run of failed deliveries (None after a success).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "partners_webhook_subscription",
                "app": "partners",
                "pk_attr": "id",
                "table_description": "Where an app wants some events sent. `secrets` holds encrypted signing secrets, each with an",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookDelivery",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "subscription",
                    fields.ForeignKeyField(
                        "partners.WebhookSubscription",
                        source_field="subscription_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("event", fields.CharField(max_length=100)),
                ("webhook_id", fields.CharField(unique=True, max_length=64)),
                ("body", fields.TextField(unique=False)),
                ("status", fields.CharField(default="PENDING", db_index=True, max_length=10)),
                ("attempts", fields.IntField(default=0)),
                ("response_status", fields.IntField(null=True)),
                ("last_error", fields.CharField(null=True, max_length=300)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("last_attempt_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "next_attempt_at",
                    fields.DatetimeField(
                        null=True,
                        db_index=True,
                        description="When the sweeper may (re)send it, pushed forward by a lease while an attempt runs.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
            ],
            options={
                "table": "partners_webhook_delivery",
                "app": "partners",
                "pk_attr": "id",
                "table_description": "One event for one subscription: its body, and the state of its attempts. `webhook_id` is",
            },
            bases=["Model"],
        ),
    ]
