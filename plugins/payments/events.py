"""The payments plugin's events and app permissions, typed for the webhook catalogue."""

from __future__ import annotations

from core.contributions import EventSpec, PermissionSpec

EVENTS = [
    EventSpec(
        "payment.recharge_paid",
        "A coin recharge order was paid.",
        "payments:read",
        {"orderId": "UmVjaGFyZ2VPcmRlcjox", "coins": 600},
        ("order_id", "coins"),
        {"users:read": ("user_id",)},
        source="payment.order_paid",
        ids={"order_id": "RechargeOrder", "user_id": "User"},
    ),
    EventSpec(
        "payment.refund_succeeded",
        "A refund was paid back.",
        "payments:read",
        {"refundId": "UmVmdW5kOjE=", "orderId": "UmVjaGFyZ2VPcmRlcjox"},
        ("refund_id", "order_id"),
        {"users:read": ("user_id",)},
        source="refund.succeeded",
        ids={"refund_id": "Refund", "order_id": "RechargeOrder", "user_id": "User"},
    ),
]

PERMISSIONS = [PermissionSpec("payments:read", "Read orders, refunds and payment events.")]
