"""The ads plugin's events and app permissions, typed for the webhook catalogue.

Both events are recorded in the transaction of the change (`core.outbox`). Payloads carry ids,
status and industry; never the credit code, the licence or documents."""

from __future__ import annotations

from typing import Any

from core.contributions import EventSpec, PermissionSpec
from core.events import Event

SUBMITTED = "ad_application.submitted"
DECIDED = "ad_application.decided"
#: Review outcomes that are a decision (`ad_application.decided`).
DECISIONS = ("APPROVED", "REJECTED")

_FIELDS = ("application_id", "status", "industry")
_IDS = {"application_id": "AdApplication", "applicant_id": "User"}
_USERS = {"users:read": ("applicant_id",)}

EVENTS = [
    EventSpec(
        SUBMITTED, "A company applied to advertise.", "ads:read",
        {"applicationId": "QWRBcHBsaWNhdGlvbjo1", "status": "SUBMITTED", "industry": "GAMES"},
        _FIELDS, _USERS, ids=_IDS,
    ),
    EventSpec(
        DECIDED, "A reviewer (or an app) approved or rejected an advertiser application.", "ads:read",
        {"applicationId": "QWRBcHBsaWNhdGlvbjo1", "status": "APPROVED", "industry": "GAMES"},
        _FIELDS, _USERS, ids=_IDS,
    ),
]  # fmt: skip

PERMISSIONS = [
    PermissionSpec("ads:read", "Read advertising applications and inquiries, and receive their events."),
    PermissionSpec(
        "ads:write", "Review advertising applications (start, request documents, approve, reject)."
    ),
]


def event(name: str, application: Any) -> Event:
    """The event `name` about an application (also on the application's channel)."""
    payload = {
        "application_id": application.pk,
        "status": application.status,
        "industry": application.industry,
        "applicant_id": application.applicant_id,
    }
    return Event(name, payload, channels=(f"ad_application:{application.pk}",))
