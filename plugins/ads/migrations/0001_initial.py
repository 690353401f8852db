import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="AdApplication",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "applicant",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="applicant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("company_name", fields.CharField(max_length=100)),
                ("credit_code", fields.CharField(db_index=True, max_length=18)),
                ("industry", fields.CharField(max_length=20)),
                (
                    "licence",
                    fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                (
                    "documents",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("status", fields.CharField(default="SUBMITTED", db_index=True, max_length=16)),
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
                ("decision_reason", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "ads_application",
                "app": "ads",
                "pk_attr": "id",
                "table_description": "An advertiser's application: business licence, qualification documents and review state.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AdApplicationEvent",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "application",
                    fields.ForeignKeyField(
                        "ads.AdApplication",
                        source_field="application_id",
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
                ("kind", fields.CharField(max_length=20)),
                ("status", fields.CharField(max_length=16)),
                ("note", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "ads_application_event",
                "app": "ads",
                "pk_attr": "id",
                "table_description": "One step of an application's progress (what the applicant sees as its timeline).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AdInquiry",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("company", fields.CharField(max_length=100)),
                ("contact_name", fields.CharField(max_length=50)),
                ("contact_enc", fields.TextField(unique=False)),
                ("contact_masked", fields.CharField(max_length=64)),
                ("budget", fields.CharField(max_length=20)),
                ("goals", fields.TextField(unique=False)),
                ("queue", fields.CharField(db_index=True, max_length=30)),
                ("status", fields.CharField(default="NEW", max_length=12)),
                ("language", fields.CharField(default="en", max_length=8)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "ads_inquiry",
                "app": "ads",
                "pk_attr": "id",
                "table_description": "A consultation request routed to a sales queue. The contact is encrypted, shown masked.",
            },
            bases=["Model"],
        ),
    ]
