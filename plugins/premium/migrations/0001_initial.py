from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="CourseEnrollment",
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
                ("course", fields.CharField(max_length=60)),
                ("enrolled_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "premium_course_enrollment",
                "app": "premium",
                "unique_together": (("user", "course"),),
                "pk_attr": "id",
                "table_description": "A user enrolled in a course (once per course).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EntitlementGrant",
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
                ("entitlement", fields.CharField(max_length=40)),
                (
                    "granted_by",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="granted_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=300)),
                ("expires_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("active", fields.BooleanField(default=True, db_index=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "premium_entitlement_grant",
                "app": "premium",
                "pk_attr": "id",
                "table_description": "An entitlement an admin granted without payment (support gesture, partner, trial).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LessonProgress",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "enrollment",
                    fields.ForeignKeyField(
                        "premium.CourseEnrollment",
                        source_field="enrollment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="progress",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("lesson", fields.CharField(max_length=60)),
                ("completed_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "premium_lesson_progress",
                "app": "premium",
                "unique_together": (("enrollment", "lesson"),),
                "pk_attr": "id",
                "table_description": "A lesson a user completed.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProductSetting",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("product", fields.CharField(unique=True, max_length=40)),
                ("price_coins", fields.IntField()),
                ("active", fields.BooleanField(default=True)),
                (
                    "updated_by",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="updated_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "premium_product_setting",
                "app": "premium",
                "pk_attr": "id",
                "table_description": "An admin's change to a shipped product: its price and whether it is on sale.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Purchase",
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
                ("product", fields.CharField(max_length=40)),
                ("entitlement", fields.CharField(max_length=40)),
                ("coins", fields.IntField()),
                ("ledger_transaction_id", fields.IntField()),
                ("period_start", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("period_end", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "premium_purchase",
                "app": "premium",
                "pk_attr": "id",
                "table_description": "One paid period of a product: what it cost and the ledger transaction that paid it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Subscription",
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
                ("product", fields.CharField(max_length=40)),
                ("entitlement", fields.CharField(max_length=40)),
                ("started_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("status", fields.CharField(default="ACTIVE", max_length=10)),
            ],
            options={
                "table": "premium_subscription",
                "app": "premium",
                "unique_together": (("user", "product"),),
                "pk_attr": "id",
                "table_description": "A user's subscription to one product. A purchase extends `expires_at` by one period.",
            },
            bases=["Model"],
        ),
    ]
