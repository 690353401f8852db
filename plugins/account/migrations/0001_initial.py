import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="User",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("display_name", fields.CharField(max_length=64)),
                ("email", fields.CharField(null=True, unique=True, max_length=254)),
                ("email_verified", fields.BooleanField(default=False)),
                ("phone", fields.CharField(null=True, unique=True, max_length=20)),
                ("phone_verified", fields.BooleanField(default=False)),
                ("password_hash", fields.CharField(max_length=255)),
                ("birth_date", fields.DateField(null=True)),
                (
                    "roles",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("status", fields.CharField(default="ACTIVE", max_length=20)),
                ("language", fields.CharField(default="zh-CN", max_length=8)),
                ("theme", fields.CharField(default="SYSTEM", max_length=8)),
                (
                    "notification_channels",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("failed_logins", fields.IntField(default=0)),
                ("password_reset_required", fields.BooleanField(default=False)),
                ("two_factor_secret_enc", fields.TextField(null=True, unique=False)),
                ("deletion_due_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "account_user",
                "app": "account",
                "pk_attr": "id",
                "table_description": "A person using the platform. Contacts are stored normalised, the API masks them.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="KnownSignIn",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="known_sign_ins",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=8)),
                ("fingerprint", fields.CharField(max_length=64)),
                ("first_seen_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("last_seen_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "account_known_sign_in",
                "app": "account",
                "unique_together": (("user", "kind", "fingerprint"),),
                "pk_attr": "id",
                "table_description": "A device or network an account has signed in from (keyed hash), to notice new ones.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RealNameVerification",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.OneToOneField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="real_name",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("status", fields.CharField(default="PENDING", max_length=10)),
                ("full_name_enc", fields.TextField(unique=False)),
                ("id_number_enc", fields.TextField(unique=False)),
                ("id_hash", fields.CharField(unique=True, max_length=64)),
                ("masked_id_number", fields.CharField(max_length=20)),
                ("birth_date", fields.DateField()),
                (
                    "photos_enc",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("reviewed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
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
                ("review_note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "account_real_name",
                "app": "account",
                "pk_attr": "id",
                "table_description": "A real-name (ID) verification of one user. ID number and names are AES-GCM encrypted, the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RecoveryCode",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="recovery_codes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("code_hash", fields.CharField(max_length=64)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "account_recovery_code",
                "app": "account",
                "unique_together": (("user", "code_hash"),),
                "pk_attr": "id",
                "table_description": "A single-use two-step recovery code, stored as a keyed hash. `used_at` is set when spent.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SecurityEvent",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="security_events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                ("ip", fields.CharField(default="", max_length=64)),
                ("user_agent", fields.CharField(default="", max_length=300)),
                ("device_name", fields.CharField(default="", max_length=100)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("confirmed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("was_me", fields.BooleanField(null=True)),
            ],
            options={
                "table": "account_security_event",
                "app": "account",
                "pk_attr": "id",
                "table_description": "Something that matters to an account's safety (a new device, a password change), shown to",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Session",
            fields=[
                ("id", fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("device_name", fields.CharField(default="", max_length=100)),
                ("user_agent", fields.CharField(default="", max_length=300)),
                ("ip", fields.CharField(default="", max_length=64)),
                ("restricted", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("last_seen_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("revoked_reason", fields.CharField(null=True, max_length=40)),
            ],
            options={
                "table": "account_session",
                "app": "account",
                "pk_attr": "id",
                "table_description": "A signed-in device. Its refresh tokens form one family, and reuse of a rotated one revokes it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RefreshToken",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "session",
                    fields.ForeignKeyField(
                        "account.Session",
                        source_field="session_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="refresh_tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "account_refresh_token",
                "app": "account",
                "pk_attr": "id",
                "table_description": "A refresh token, stored as its SHA-256. `used_at` is set when it is rotated.",
            },
            bases=["Model"],
        ),
    ]
