"""Partner storage: apps and their hashed tokens, webhook subscriptions (encrypted signing
secrets) and one delivery row per event and subscription (its retry state and log)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

DELIVERY_STATUSES = ("PENDING", "RETRYING", "SUCCEEDED", "FAILED")


class App(Model):
    """A partner integration. Its token is shown once, only its SHA-256 is kept."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    permissions = fields.JSONField(default=list)
    token_hash = fields.CharField(max_length=64, unique=True)
    token_hint = fields.CharField(max_length=20)
    rate_limit_per_minute = fields.IntField(default=700)
    created_by = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "partners_app"


class WebhookSubscription(Model):
    """Where an app wants some events sent. `secrets` holds encrypted signing secrets, each with an
    optional expiry (a rotated secret keeps signing for 24 h)."""

    id = fields.IntField(primary_key=True)
    app = fields.ForeignKeyField("partners.App", related_name="subscriptions", on_delete=fields.CASCADE)
    app_id: int
    url = fields.CharField(max_length=2000)
    events = fields.JSONField(default=list)
    secrets = fields.JSONField(default=list)
    active = fields.BooleanField(default=True)
    disabled_reason = fields.CharField(max_length=300, null=True)
    #: Start of the current run of failed deliveries (None after a success).
    failing_since = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "partners_webhook_subscription"


class WebhookDelivery(Model):
    """One event for one subscription: its body, and the state of its attempts. `webhook_id` is
    derived from the event and subscription, so a re-relayed event creates no second row and every
    retry carries the same `webhook-id`."""

    id = fields.IntField(primary_key=True)
    subscription = fields.ForeignKeyField(
        "partners.WebhookSubscription", related_name="deliveries", on_delete=fields.CASCADE
    )
    subscription_id: int
    event = fields.CharField(max_length=100)
    webhook_id = fields.CharField(max_length=64, unique=True)
    body = fields.TextField()
    status = fields.CharField(max_length=10, default="PENDING", db_index=True)
    attempts = fields.IntField(default=0)
    response_status = fields.IntField(null=True)
    #: The start of the last answer's body, at most 64 kB (what the sender read), as text.
    response_body = fields.TextField(null=True)
    last_error = fields.CharField(max_length=300, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_attempt_at = fields.DatetimeField(null=True)
    #: When the sweeper may (re)send it, pushed forward by a lease while an attempt runs.
    next_attempt_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "partners_webhook_delivery"
