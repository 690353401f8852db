"""Handing a conversation to a human agent through the assistant's own hooks (`handoff_ticket`,
`handoff_message`; the support plugin implements them). No implementation: not offered."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.context import Services
from core.errors import DomainError
from core.plugins import call_async, implemented
from plugins.assistant.models import Conversation, Message

TRANSCRIPT_LIMIT = 200


def offered(services: Services) -> bool:
    """True when an enabled plugin takes conversations handed to a human (`handoff_ticket`)."""
    return implemented(services.pm, "handoff_ticket")


async def transcript(conversation: Conversation) -> list[dict[str, Any]]:
    """The conversation's messages, oldest first, as plain dicts."""
    rows = await Message.filter(conversation_id=conversation.pk).order_by("id").limit(TRANSCRIPT_LIMIT)
    return [{"role": m.role, "body": m.body, "topic": m.topic, "at": m.created_at.isoformat()} for m in rows]


def subject_of(lines: list[dict[str, Any]], topic: str | None) -> str:
    """The first question the user asked (shortened), else the topic."""
    first = next((line["body"] for line in lines if line["role"] == "user"), "")
    subject = " ".join(first.split())[:80] or (topic or "platform.human_agent")
    return subject


async def hand_off(context: Any, conversation: Conversation) -> Any:
    """Create the support ticket for `conversation` (once) and return it (GraphQL `Ticket`)."""
    if not offered(context.services):
        raise DomainError("HANDOFF_NOT_OFFERED")
    actor_id = int(context.actor.user_id)
    now = datetime.now(UTC)
    claimed = await Conversation.filter(id=conversation.pk, handed_off_at=None).update(
        handed_off_at=now, user_id=actor_id
    )
    if not claimed:
        raise DomainError("ALREADY_HANDED_OFF", field="conversationId")
    lines = await transcript(conversation)
    subject = (conversation.state or {}).get("subject")
    if subject:
        # The object the conversation was about (an order, a decision) goes into the ticket.
        from plugins.assistant.actions.texts import say

        lines.insert(0, {"role": "context", "body": say("related", conversation.language, subject=subject)})
    try:
        tickets = await call_async(
            context.services.pm,
            "handoff_ticket",
            context=context,
            conversation_id=str(conversation.pk),
            subject=subject_of(lines, conversation.last_topic),
            transcript=lines,
            topic=conversation.last_topic,
        )
        if not tickets:
            raise DomainError("HANDOFF_UNAVAILABLE")
    except Exception:
        # The ticket was not created: the bot keeps answering and the user may try again.
        await Conversation.filter(id=conversation.pk).update(handed_off_at=None)
        raise
    ticket = tickets[0]
    ticket_id = getattr(ticket, "id", None)
    await Conversation.filter(id=conversation.pk).update(
        ticket_ref=str(ticket_id)[:64] if ticket_id else None
    )
    return ticket


async def forward_message(context: Any, conversation: Conversation, body: str) -> None:
    """Pass a message of a handed-off conversation to the ticket."""
    delivered = await call_async(
        context.services.pm,
        "handoff_message",
        services=context.services,
        conversation_id=str(conversation.pk),
        body=body,
        user_id=str(conversation.user_id),
    )
    if not any(delivered):
        raise DomainError("HANDOFF_UNAVAILABLE")
