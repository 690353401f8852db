"""Who may see and change a ticket: requesters their own, agents (and admins) every ticket."""

from __future__ import annotations

import time
from typing import Any

from core.errors import Forbidden, NotAuthenticated, NotFound
from plugins.support.models import Ticket


def is_agent(actor: Any) -> bool:
    """Agents and admins work the support desk; an app with `tickets:read` reads it like one (its
    writes are refused at the fields, which accept users only)."""
    return actor is not None and (actor.has_role("AGENT") or actor.has_permission("tickets:read"))


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


#: How often a long-lived subscription re-checks its token (revoked session, expired token, ban lifted).
RECHECK_SECONDS = 30


async def still_signed_in(context: Any, actor: Any) -> Any:
    """The subscriber's actor, re-read from the connection's token at most every 30 seconds, so
    a revoked session or an expired token stops receiving events (UNAUTHENTICATED ends the stream)."""
    checked = context.memo("support.actor_checked_at") or time.monotonic()
    if context.memo("support.actor_checked_at") is None:
        context.remember("support.actor_checked_at", checked)
    if time.monotonic() - checked < RECHECK_SECONDS:
        return actor
    from core.plugins import call_async

    params = context.connection_params if isinstance(context.connection_params, dict) else {}
    scheme, _, token = str(params.get("authorization") or "").partition(" ")
    found = await call_async(
        context.services.pm, "actor_from_token", token=token.strip(), services=context.services
    )
    fresh = next((a for a in found if a is not None), None) if scheme.lower() == "bearer" else None
    if fresh is None or fresh.user_id != actor.user_id:
        raise NotAuthenticated()
    context.remember("support.actor_checked_at", time.monotonic())
    context.actor = fresh
    return fresh
