"""Account storage: users, sessions (one refresh-token family each) and refresh tokens."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

ACCOUNT_STATUSES = ("ACTIVE", "BANNED", "DELETION_PENDING")


class User(Model):
    """A person using the platform. Contacts are stored normalised, the API masks them."""

    id = fields.IntField(primary_key=True)
    display_name = fields.CharField(max_length=64)
    email = fields.CharField(max_length=254, null=True, unique=True)
    email_verified = fields.BooleanField(default=False)
    phone = fields.CharField(max_length=20, null=True, unique=True)
    phone_verified = fields.BooleanField(default=False)
    password_hash = fields.CharField(max_length=255)
    birth_date = fields.DateField(null=True)
    roles = fields.JSONField(default=list)
    status = fields.CharField(max_length=20, default="ACTIVE")
    language = fields.CharField(max_length=8, default="zh-CN")
    theme = fields.CharField(max_length=8, default="SYSTEM")
    notification_channels = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "account_user"


class Session(Model):
    """A signed-in device. Its refresh tokens form one family, and reuse of a rotated one revokes it."""

    id = fields.UUIDField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name="sessions", on_delete=fields.CASCADE)
    device_name = fields.CharField(max_length=100, default="")
    user_agent = fields.CharField(max_length=300, default="")
    ip = fields.CharField(max_length=64, default="")
    restricted = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    revoked_reason = fields.CharField(max_length=40, null=True)

    class Meta:
        table = "account_session"


class RefreshToken(Model):
    """A refresh token, stored as its SHA-256. `used_at` is set when it is rotated."""

    id = fields.IntField(primary_key=True)
    session = fields.ForeignKeyField(
        "account.Session", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account_refresh_token"


class RealNameVerification(Model):
    """A real-name (ID) verification of one user. ID number and names are AES-GCM encrypted, the
    lookup hash (HMAC) finds an ID already used by another account without decrypting."""

    id = fields.IntField(primary_key=True)
    user = fields.OneToOneField("account.User", related_name="real_name", on_delete=fields.CASCADE)
    status = fields.CharField(max_length=10, default="PENDING")
    full_name_enc = fields.TextField()
    id_number_enc = fields.TextField()
    id_hash = fields.CharField(max_length=64, unique=True)
    masked_id_number = fields.CharField(max_length=20)
    birth_date = fields.DateField()
    photos_enc = fields.JSONField(default=dict)
    submitted_at = fields.DatetimeField(auto_now_add=True)
    reviewed_at = fields.DatetimeField(null=True)
    reviewer = fields.ForeignKeyField("account.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    review_note = fields.TextField(default="")

    class Meta:
        table = "account_real_name"
