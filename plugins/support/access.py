"""Who may see and change a ticket: requesters their own, agents (and admins) every ticket."""

from __future__ import annotations

from typing import Any

from core.errors import Forbidden, NotAuthenticated, NotFound
from core.roles import Role
from plugins.support.models import Ticket


def is_agent(actor: Any) -> bool:
    """Agents and admins work the support desk; an app with `tickets:read` reads it like one, and
    an app with `tickets:write` works the tickets it is given (the fields check which writes an app
    may make: `tickets:read` alone writes nothing)."""
    return actor is not None and (
        actor.has_role(Role.AGENT)
        or actor.has_permission("tickets:read")
        or actor.has_permission("tickets:write")
    )


def done_by(actor_id: Any) -> tuple[int | None, dict[str, Any]]:
    """What "who did it" columns store for `actor_id`: a user's id, or (for an app, whose id is
    `app:<id>`) None plus `{"app_id": <id>}` for the entry's data, so history names the app."""
    text = str(actor_id) if actor_id else ""
    if text.startswith("app:"):
        return None, {"app_id": text.removeprefix("app:")}
    return (int(text) if text.isdigit() else None), {}


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


def connection_token(context: Any) -> str:
    """The bearer token that authenticated a websocket: `connection_init`'s `authorization`, else
    the upgrade request's `Authorization` header (the same order the connection used)."""
    params = context.connection_params if isinstance(context.connection_params, dict) else {}
    value = params.get("authorization") or params.get("Authorization")
    if not value and context.request is not None:
        value = context.request.headers.get("authorization")
    scheme, _, token = str(value or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def recheck_subscriber(context: Any, actor: Any, ticket_id: int) -> Any:
    """The subscriber re-read from the connection's token, still allowed to see the ticket:
    UNAUTHENTICATED for a revoked session or an expired token, NOT_FOUND when the ticket is no
    longer theirs to see (e.g. the agent role was removed)."""
    from core.plugins import call_async

    token = connection_token(context)
    found = await call_async(context.services.pm, "actor_from_token", token=token, services=context.services)
    fresh = next((a for a in found if a is not None), None) if token else None
    if fresh is None or fresh.user_id != actor.user_id:
        raise NotAuthenticated()
    await visible_ticket(fresh, ticket_id)
    context.actor = fresh
    return fresh
