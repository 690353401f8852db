"""The premium plugin's entitlement events and app permissions, typed for the webhook catalogue.

`entitlement.granted` / `entitlement.revoked` are recorded in the transaction of the grant or
revocation (`core.outbox`): a rolled-back grant sends nothing."""

from __future__ import annotations

from typing import Any

from core.contributions import EventSpec, PermissionSpec
from core.events import Event

GRANTED = "entitlement.granted"
REVOKED = "entitlement.revoked"
#: Published on every change of a user's entitlements (cache invalidation, in-process only).
CHANGED = "entitlement.changed"

_IDS = {"grant_id": "PremiumGrant", "user_id": "User"}
_USERS = {"users:read": ("user_id",)}

EVENTS = [
    EventSpec(CHANGED, "A user's entitlements changed (cache invalidation).", webhook=False),
    EventSpec(
        GRANTED,
        "An admin or an app granted an entitlement without payment (one event per user; `grantId` "
        "is null for bulk grants, `expiresAt` null for a grant until revoked).",
        "entitlements:read",
        {"grantId": "UHJlbWl1bUdyYW50OjEy", "entitlement": "analytics_report",
         "expiresAt": "2027-01-01T00:00:00+00:00"},
        ("grant_id", "entitlement", "expires_at"),
        _USERS,
        ids=_IDS,
    ),
    EventSpec(
        REVOKED,
        "A user's admin grants of an entitlement were ended (`grants`: how many); paid subscriptions "
        "are not affected.",
        "entitlements:read",
        {"entitlement": "analytics_report", "grants": 1},
        ("entitlement", "grants"),
        _USERS,
        ids=_IDS,
    ),
]  # fmt: skip

PERMISSIONS = [
    PermissionSpec("entitlements:read", "See who holds which entitlement and receive entitlement events."),
    PermissionSpec("entitlements:write", "Grant and revoke users' entitlements (single and bulk grants)."),
]


def event(name: str, user_id: Any, **facts: Any) -> Event:
    """An entitlement event about `user_id` (also on the user's channel)."""
    return Event(name, {"user_id": str(user_id), **facts}, channels=(f"user:{user_id}",))
