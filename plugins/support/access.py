"""Who may see and change a ticket: requesters their own, agents (and admins) every ticket."""

from __future__ import annotations

from typing import Any

from core.errors import Forbidden, NotFound
from plugins.support.models import Ticket


def is_agent(actor: Any) -> bool:
    """Agents and admins work the support desk."""
    return actor is not None and actor.has_role("AGENT")


def can_view(ticket: Ticket, actor: Any) -> bool:
    """The requester or an agent."""
    return actor is not None and (str(ticket.requester_id) == actor.user_id or is_agent(actor))


async def visible_ticket(actor: Any, ticket_id: int, *, lock: bool = False) -> Ticket:
    """The ticket if the actor may see it; otherwise NOT_FOUND (ids are not enumerable)."""
    query = Ticket.filter(id=ticket_id)
    if lock:
        query = query.select_for_update()
    ticket = await query.first()
    if ticket is None or not can_view(ticket, actor):
        raise NotFound(field="ticketId")
    return ticket


def require_agent(actor: Any) -> None:
    """FORBIDDEN unless the actor is an agent (or admin)."""
    if not is_agent(actor):
        raise Forbidden()


def event_visible(payload: dict[str, Any], actor: Any) -> bool:
    """Per-event check for subscribers: internal events never reach the requester."""
    if is_agent(actor):
        return True
    return str(payload.get("requester_id")) == actor.user_id and not payload.get("internal")
