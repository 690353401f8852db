"""The support plugin's events (published on the bus after commit) and app permissions, typed for
the webhook catalogue."""

from __future__ import annotations

from core.contributions import EventSpec, PermissionSpec

_TICKET = ("ticket_id", "number", "status")
_IDS = {"ticket_id": "Ticket", "requester_id": "User"}
_EXAMPLE = {"ticketId": "VGlja2V0OjQy", "number": 42, "status": "NEW"}

EVENTS = [
    EventSpec(
        "ticket.created", "A user filed a ticket.", "tickets:read", _EXAMPLE, _TICKET,
        {"users:read": ("requester_id",)}, ids=_IDS,
    ),
    EventSpec(
        "ticket.replied", "A public reply was added to a ticket (internal notes are never sent).",
        "tickets:read", {**_EXAMPLE, "status": "OPEN"}, _TICKET, {"users:read": ("requester_id",)},
        accept=lambda payload: not payload.get("internal"), ids=_IDS,
    ),
    EventSpec(
        "ticket.status_changed", "A ticket's status changed; `previous` is the status before.",
        "tickets:read", {**_EXAMPLE, "status": "SOLVED", "previous": "OPEN"}, (*_TICKET, "previous"), ids=_IDS,
    ),
    EventSpec(
        "ticket.rated", "The requester rated a solved ticket (score 1 to 5).", "tickets:read",
        {**_EXAMPLE, "status": "SOLVED", "score": 5}, (*_TICKET, "score"), ids=_IDS,
    ),
    EventSpec("ticket.assigned", "A ticket was assigned to an agent.", webhook=False),
    EventSpec("ticket.sla_breached", "A ticket missed an SLA target.", webhook=False),
]  # fmt: skip

PERMISSIONS = [
    PermissionSpec("tickets:read", "Read the agent queue, tickets and their public events."),
    PermissionSpec(
        "tickets:write",
        "Work tickets in place of an agent: reply (shown with the app's name), internal notes, "
        "status, assignment, macros (includes reading the tickets it writes).",
    ),
]
