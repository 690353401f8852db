"""SLA arithmetic on a ticket (no I/O): due times per priority, the clock pausing in PENDING,
status transitions and their timestamps."""

from __future__ import annotations

from datetime import datetime, timedelta

from plugins.support.models import Ticket
from plugins.support.settings import SupportSettings

PRIORITY_RANK = {"LOW": 0, "NORMAL": 1, "HIGH": 2, "URGENT": 3}


def start_clock(ticket: Ticket, now: datetime, settings: SupportSettings) -> None:
    """Set the first-response and resolution deadlines of a new ticket from its priority."""
    ticket.priority_rank = PRIORITY_RANK[ticket.priority]
    ticket.first_response_due_at = now + timedelta(minutes=settings.first_response_target(ticket.priority))
    ticket.resolution_due_at = now + timedelta(minutes=settings.resolution_target(ticket.priority))
    refresh_due(ticket)


def refresh_due(ticket: Ticket) -> None:
    """`due_at` is the deadline the agent works against next (kept when solved, for sorting)."""
    if ticket.first_response_at is None and ticket.first_response_due_at is not None:
        ticket.due_at = ticket.first_response_due_at
    elif ticket.resolution_due_at is not None:
        ticket.due_at = ticket.resolution_due_at


def _resume(ticket: Ticket, now: datetime) -> None:
    """Leaving PENDING: push the running deadlines forward by the paused time."""
    if ticket.paused_at is None:
        return
    paused = now - ticket.paused_at
    if ticket.first_response_at is None and ticket.first_response_due_at is not None:
        ticket.first_response_due_at += paused
    if ticket.solved_at is None and ticket.resolution_due_at is not None:
        ticket.resolution_due_at += paused
    ticket.paused_at = None


def apply_status(ticket: Ticket, target: str, now: datetime) -> None:
    """Move `ticket` to `target`, keeping the SLA clock and the solved/closed times right."""
    if ticket.status == "PENDING" and target != "PENDING":
        _resume(ticket, now)
    if target == "PENDING" and ticket.status != "PENDING":
        ticket.paused_at = now
    if target == "SOLVED":
        ticket.solved_at = now
    elif target in ("NEW", "OPEN", "PENDING"):
        ticket.solved_at = None
    if target == "CLOSED":
        ticket.closed_at = now
        ticket.solved_at = ticket.solved_at or now
    ticket.status = target
    refresh_due(ticket)


def record_first_response(ticket: Ticket, now: datetime) -> None:
    """An agent's first public reply stops the first-response clock."""
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        refresh_due(ticket)


#: Changes an agent may make (CLOSED is final; NEW is only the initial state).
AGENT_TRANSITIONS = {
    "NEW": {"OPEN", "PENDING", "SOLVED", "CLOSED"},
    "OPEN": {"PENDING", "SOLVED", "CLOSED"},
    "PENDING": {"OPEN", "SOLVED", "CLOSED"},
    "SOLVED": {"OPEN", "CLOSED"},
    "CLOSED": set(),
}
#: Changes a requester may make: mark their own ticket solved (they reopen it by replying).
REQUESTER_TRANSITIONS = {
    "NEW": {"SOLVED"},
    "OPEN": {"SOLVED"},
    "PENDING": {"SOLVED"},
    "SOLVED": set(),
    "CLOSED": set(),
}
