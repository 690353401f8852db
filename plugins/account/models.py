"""Account storage: users, sessions (one refresh-token family each) and refresh tokens."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from core.local_cache import InvalidatingManager, invalidate_from_orm

ACCOUNT_STATUSES = ("ACTIVE", "BANNED", "DELETION_PENDING", "DELETED")


class User(Model):
    """A person using the platform. Contacts are stored normalised, the API masks them."""

    id = fields.IntField(primary_key=True)
    display_name = fields.CharField(max_length=64)
    email = fields.CharField(max_length=254, null=True, unique=True)
    email_verified = fields.BooleanField(default=False)
    phone = fields.CharField(max_length=20, null=True, unique=True)
    phone_verified = fields.BooleanField(default=False)
    # When a contact was bound after registration (null: since registration). A contact bound in
    # the last 7 days, or during the current session, cannot confirm sensitive changes.
    email_bound_at = fields.DatetimeField(null=True)
    phone_bound_at = fields.DatetimeField(null=True)
    password_hash = fields.CharField(max_length=255)
    birth_date = fields.DateField(null=True)
    roles = fields.JSONField(default=list)
    status = fields.CharField(max_length=20, default="ACTIVE")
    language = fields.CharField(max_length=8, default="zh-CN")
    theme = fields.CharField(max_length=8, default="SYSTEM")
    notification_channels = fields.JSONField(default=list)
    # Consecutive failed sign-ins over every network, reset by a success (the 100 ceiling).
    failed_logins = fields.IntField(default=0)
    password_reset_required = fields.BooleanField(default=False)
    two_factor_secret_enc: str | None = fields.TextField(null=True)  # tortoise types ignore null=True
    two_factor_enabled_at = fields.DatetimeField(null=True)
    deletion_due_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "account_user"
        # The actor cache holds user rows: every write, in any process, drops them (ban, roles...).
        manager = InvalidatingManager()

    async def save(self, *args: Any, **kwargs: Any) -> None:
        await super().save(*args, **kwargs)
        await invalidate_from_orm(f"user:{self.pk}")

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        await super().delete(*args, **kwargs)
        await invalidate_from_orm(f"user:{self.pk}")

    @property
    def two_factor_enabled(self) -> bool:
        """True when sign-in needs an authenticator or recovery code."""
        return self.two_factor_secret_enc is not None


class Session(Model):
    """A signed-in device. Its refresh tokens form one family, and reuse of a rotated one revokes it."""

    id = fields.UUIDField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name="sessions", on_delete=fields.CASCADE)
    user_id: int
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
    session_id: UUID
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
    user_id: int
    status = fields.CharField(max_length=10, default="PENDING")
    full_name_enc = fields.TextField()
    id_number_enc = fields.TextField()
    id_hash = fields.CharField(max_length=64, unique=True)
    masked_id_number = fields.CharField(max_length=20)
    birth_date = fields.DateField()
    photos_enc = fields.JSONField(default=dict)
    submitted_at = fields.DatetimeField(auto_now_add=True)
    reviewed_at = fields.DatetimeField(null=True)
    reviewer = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reviewer_id: int | None
    review_note = fields.TextField(default="")
    #: The face-verification provider's result: {"provider", "liveness", "match"} (scores 0..1).
    face_check = fields.JSONField(null=True)
    #: When the ID photos were deleted (30 days after the decision); number and decision stay.
    photos_deleted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account_real_name"


class RecoveryCode(Model):
    """A single-use two-step recovery code, stored as a keyed hash. `used_at` is set when spent."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name="recovery_codes", on_delete=fields.CASCADE)
    user_id: int
    code_hash = fields.CharField(max_length=64)
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account_recovery_code"
        unique_together = (("user", "code_hash"),)


class SecurityEvent(Model):
    """Something that matters to an account's safety (a new device, a password change), shown to
    the user, who may answer that it was not them."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name="security_events", on_delete=fields.CASCADE)
    user_id: int
    kind = fields.CharField(max_length=32)
    ip = fields.CharField(max_length=64, default="")
    user_agent = fields.CharField(max_length=300, default="")
    device_name = fields.CharField(max_length=100, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    confirmed_at = fields.DatetimeField(null=True)
    was_me = fields.BooleanField(null=True)
    #: How to undo the change ("this wasn't me"): for CONTACT_CHANGED the column and the previous
    #: contact (encrypted), else null.
    undo = fields.JSONField(null=True)

    class Meta:
        table = "account_security_event"


class KnownSignIn(Model):
    """A device or network an account has signed in from (keyed hash), to notice new ones."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name="known_sign_ins", on_delete=fields.CASCADE)
    user_id: int
    kind = fields.CharField(max_length=8)
    fingerprint = fields.CharField(max_length=64)
    first_seen_at = fields.DatetimeField(auto_now_add=True)
    last_seen_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account_known_sign_in"
        unique_together = (("user", "kind", "fingerprint"),)
