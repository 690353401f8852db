"""The content plugin's events and app permissions, typed for the webhook catalogue."""

from __future__ import annotations

from core.contributions import EventSpec, PermissionSpec

EVENTS = [
    EventSpec(
        "content.decision_made",
        "A moderation decision was made (video removed or account banned).",
        "content:read",
        {"decisionId": "RGVjaXNpb246Nw==", "kind": "VIDEO_REMOVED"},
        ("decision_id", "kind"),
        {"users:read": ("user_id",)},
        source="decision.created",
        ids={"decision_id": "Decision", "user_id": "User"},
    ),
]

PERMISSIONS = [PermissionSpec("content:read", "Read videos, comments and moderation decisions.")]
