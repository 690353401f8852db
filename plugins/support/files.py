"""Downloads of ticket attachments: the requester and agents (internal notes: agents only)."""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.files import FileClaims, FileGrant, file_route, signed_url
from plugins.account.api import actor_for_session
from plugins.support.access import is_agent
from plugins.support.models import TicketMessage

KIND = "ticket-attachment"


def attachment_url(context: Any, message_pk: int, index: int) -> str | None:
    """The signed URL of attachment `index` of a message, for the request's user."""
    return signed_url(context.services, context.actor, KIND, f"{message_pk}:{index}")


async def authorize(services: Services, claims: FileClaims) -> FileGrant | None:
    """The attachment, if the URL's holder may still open it: the ticket's requester (public
    messages) or an agent."""
    message_pk, _, index = claims.ref.partition(":")
    if not (message_pk.isdigit() and index.isdigit()):
        return None
    actor = await actor_for_session(services, claims.user_id, claims.session_id)
    if actor is None or actor.restricted:
        return None
    message = await TicketMessage.get_or_none(id=int(message_pk)).prefetch_related("ticket")
    if message is None or int(index) >= len(message.attachments or []):
        return None
    owner_id = str(message.ticket.requester_id)
    if not (is_agent(actor) or (actor.user_id == owner_id and not message.internal)):
        return None
    attachment = message.attachments[int(index)]
    return FileGrant(
        key=attachment["key"], filename=attachment.get("filename", ""), owner_id=owner_id, actor=actor
    )


def routes() -> list[Any]:
    """The attachment download route."""
    return [file_route(KIND, authorize)]
