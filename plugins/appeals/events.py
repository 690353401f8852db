"""The appeals plugin's events and app permissions, typed for the webhook catalogue."""

from __future__ import annotations

from core.contributions import EventSpec, PermissionSpec

EVENTS = [
    EventSpec(
        "appeal.created",
        "A user appealed a moderation decision.",
        "appeals:read",
        {"appealId": "QXBwZWFsOjM=", "status": "SUBMITTED", "decisionId": "RGVjaXNpb246Nw=="},
        ("appeal_id", "status", "decision_id"),
        {"users:read": ("user_id",)},
        ids={"appeal_id": "Appeal", "decision_id": "Decision", "user_id": "User"},
    ),
    EventSpec(
        "appeal.decided",
        "A reviewer overturned or upheld an appeal.",
        "appeals:read",
        {"appealId": "QXBwZWFsOjM=", "status": "OVERTURNED", "decisionId": "RGVjaXNpb246Nw=="},
        ("appeal_id", "status", "decision_id"),
        {"users:read": ("user_id",)},
        ids={"appeal_id": "Appeal", "decision_id": "Decision", "user_id": "User"},
    ),
]

PERMISSIONS = [PermissionSpec("appeals:read", "Read the reviewers' appeal queue and appeal events.")]
