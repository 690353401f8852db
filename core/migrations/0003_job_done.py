from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_labels_dead_letters")]

    initial = False

    operations = [
        ops.CreateModel(
            name="JobDone",
            fields=[
                ("key", fields.CharField(primary_key=True, unique=True, db_index=True, max_length=200)),
                ("done_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "core_job_done",
                "app": "core",
                "pk_attr": "key",
                "table_description": "Keyed jobs that finished (idempotency of redelivered jobs).",
            },
            bases=["Model"],
        ),
    ]
