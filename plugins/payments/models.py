"""Payments storage: a double-entry ledger, recharge orders, refunds, webhook events and
idempotency keys. Amounts in the ledger are coins, money on orders is in fen (minor units)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class LedgerAccount(Model):
    """A ledger account: one wallet per user, plus the platform's clearing, revenue and refund
    accounts. The balance of an account is the sum of its entries (never stored)."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=80, unique=True)
    kind = fields.CharField(max_length=20)
    user = fields.OneToOneField("account.User", related_name=False, null=True, on_delete=fields.RESTRICT)
    user_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payments_ledger_account"


class LedgerTransaction(Model):
    """One movement of coins: exactly two entries that sum to zero. `reference` is unique, so the
    same business event (e.g. crediting order 7) can never be booked twice."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=24)
    reference = fields.CharField(max_length=120, unique=True)
    memo = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payments_ledger_transaction"


class LedgerEntry(Model):
    """One side of a transaction: coins added to (positive) or taken from (negative) an account."""

    id = fields.IntField(primary_key=True)
    transaction = fields.ForeignKeyField(
        "payments.LedgerTransaction", related_name="entries", on_delete=fields.RESTRICT
    )
    transaction_id: int
    account = fields.ForeignKeyField(
        "payments.LedgerAccount", related_name="entries", on_delete=fields.RESTRICT
    )
    account_id: int
    amount = fields.BigIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payments_ledger_entry"


class RechargeOrder(Model):
    """A top-up: the user pays `amount` fen through `channel` and gets `coins` once it is PAID."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.RESTRICT)
    user_id: int
    coins = fields.IntField()
    amount = fields.IntField()
    currency = fields.CharField(max_length=3, default="CNY")
    channel = fields.CharField(max_length=32)
    status = fields.CharField(max_length=10, default="PENDING", db_index=True)
    provider_ref = fields.CharField(max_length=64, unique=True)
    payment_url = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    paid_at = fields.DatetimeField(null=True)
    failed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payments_recharge_order"


class Refund(Model):
    """Money of a paid order going back to the payer. One refund per order (unique)."""

    id = fields.IntField(primary_key=True)
    order = fields.OneToOneField("payments.RechargeOrder", related_name="refund", on_delete=fields.RESTRICT)
    order_id: int
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.RESTRICT)
    user_id: int
    coins = fields.IntField()
    amount = fields.IntField()
    reason = fields.CharField(max_length=500)
    status = fields.CharField(max_length=10, default="PENDING", db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payments_refund"


class WebhookEvent(Model):
    """A provider notification already processed (provider, event id) - replays are ignored."""

    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=32)
    event_id = fields.CharField(max_length=100)
    kind = fields.CharField(max_length=40)
    received_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "payments_webhook_event"
        unique_together = (("provider", "event_id"),)


class IdempotencyKey(Model):
    """A client's idempotency key for one operation, the hash of the input it was first used with
    and the result it produced (kind and id), kept for at least 24 hours."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    scope = fields.CharField(max_length=40)
    key = fields.CharField(max_length=100)
    request_hash = fields.CharField(max_length=64)
    result_kind = fields.CharField(max_length=40, null=True)
    result_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "payments_idempotency_key"
        unique_together = (("user", "scope", "key"),)
