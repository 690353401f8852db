from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="IdempotencyKey",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("scope", fields.CharField(max_length=40)),
                ("key", fields.CharField(max_length=100)),
                ("request_hash", fields.CharField(max_length=64)),
                ("result_kind", fields.CharField(null=True, max_length=40)),
                ("result_id", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "payments_idempotency_key",
                "app": "payments",
                "unique_together": (("user", "scope", "key"),),
                "pk_attr": "id",
                "table_description": "A client's idempotency key for one operation, the hash of the input it was first used with",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LedgerAccount",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("code", fields.CharField(unique=True, max_length=80)),
                ("kind", fields.CharField(max_length=20)),
                (
                    "user",
                    fields.OneToOneField(
                        "account.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "payments_ledger_account",
                "app": "payments",
                "pk_attr": "id",
                "table_description": "A ledger account: one wallet per user, plus the platform's clearing, revenue and refund",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LedgerTransaction",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("kind", fields.CharField(max_length=24)),
                ("reference", fields.CharField(unique=True, max_length=120)),
                ("memo", fields.CharField(default="", max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "payments_ledger_transaction",
                "app": "payments",
                "pk_attr": "id",
                "table_description": "One movement of coins: exactly two entries that sum to zero. `reference` is unique, so the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LedgerEntry",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "transaction",
                    fields.ForeignKeyField(
                        "payments.LedgerTransaction",
                        source_field="transaction_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "account",
                    fields.ForeignKeyField(
                        "payments.LedgerAccount",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("amount", fields.BigIntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "payments_ledger_entry",
                "app": "payments",
                "pk_attr": "id",
                "table_description": "One side of a transaction: coins added to (positive) or taken from (negative) an account.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RechargeOrder",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("coins", fields.IntField()),
                ("amount", fields.IntField()),
                ("currency", fields.CharField(default="CNY", max_length=3)),
                ("channel", fields.CharField(max_length=32)),
                ("status", fields.CharField(default="PENDING", db_index=True, max_length=10)),
                ("provider_ref", fields.CharField(unique=True, max_length=64)),
                ("payment_url", fields.CharField(default="", max_length=500)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ("paid_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("failed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "payments_recharge_order",
                "app": "payments",
                "pk_attr": "id",
                "table_description": "A top-up: the user pays `amount` fen through `channel` and gets `coins` once it is PAID.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Refund",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "order",
                    fields.OneToOneField(
                        "payments.RechargeOrder",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="refund",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("coins", fields.IntField()),
                ("amount", fields.IntField()),
                ("reason", fields.CharField(max_length=500)),
                ("status", fields.CharField(default="PENDING", db_index=True, max_length=10)),
                ("attempts", fields.IntField(default=0)),
                ("last_error", fields.CharField(default="", max_length=300)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("completed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "payments_refund",
                "app": "payments",
                "pk_attr": "id",
                "table_description": "Money of a paid order going back to the payer. One refund per order (unique).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookEvent",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("provider", fields.CharField(max_length=32)),
                ("event_id", fields.CharField(max_length=100)),
                ("kind", fields.CharField(max_length=40)),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "payments_webhook_event",
                "app": "payments",
                "unique_together": (("provider", "event_id"),),
                "pk_attr": "id",
                "table_description": "A provider notification already processed (provider, event id) - replays are ignored.",
            },
            bases=["Model"],
        ),
    ]
