from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="MutationReceipt",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("actor", fields.CharField(description="`user:<id>` or `anon:<address>`.", max_length=80)),
                ("operation", fields.CharField(max_length=60)),
                ("key", fields.CharField(max_length=100)),
                ("request_hash", fields.CharField(max_length=64)),
                ("result_id", fields.CharField(default="", max_length=64)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "core_mutation_receipt",
                "app": "idempotency",
                "unique_together": (("actor", "operation", "key"),),
                "pk_attr": "id",
                "table_description": "clientMutationId receipts: a retried create returns the first result.",
            },
            bases=["Model"],
        ),
    ]
