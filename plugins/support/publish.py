"""Ticket events on the bus (after commit): channel `ticket:<id>`, payload enough to render a
`TicketEvent` without a query, plus the flags the per-event authorization needs."""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.events import Event
from plugins.support.models import Ticket, TicketMessage


def message_payload(message: TicketMessage) -> dict[str, Any]:
    """A message as JSON-able data."""
    return {
        "id": message.pk,
        "kind": message.kind,
        "internal": message.internal,
        "body": message.body,
        "author_id": message.author_id,
        "author_name": message.author_name,
        "attachments": message.attachments,
        "created_at": message.created_at.isoformat(),
    }


async def publish(
    services: Services, name: str, ticket: Ticket, *, message: TicketMessage | None = None, **extra: Any
) -> None:
    """Publish `ticket.<name>` on the ticket's channel."""
    payload = {
        "ticket_id": ticket.pk,
        "number": ticket.number,
        "requester_id": ticket.requester_id,
        "assignee_id": ticket.assignee_id,
        "status": ticket.status,
        "internal": bool(message and message.internal) or bool(extra.pop("internal", False)),
        **extra,
    }
    if message is not None:
        payload["message"] = message_payload(message)
    await services.events.publish(Event(f"ticket.{name}", payload, channels=(f"ticket:{ticket.pk}",)))
