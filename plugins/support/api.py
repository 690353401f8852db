"""What other plugins may call (docs/contracts.md). Callers check the plugin is enabled and import
this module inside their function.

- `handoff_ticket(context, *, conversation_id, subject, transcript, topic)` -> GraphQL `Ticket`
- `post_requester_message(services, *, conversation_id, body, user_id)`
- `is_handed_off(conversation_id)` -> bool
- `category_stats(since, until)` -> list[CategoryStat]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.context import Services
from core.errors import DomainError
from plugins.support.categories import HUMAN_AGENT, categories
from plugins.support.models import ACTIVE_STATUSES, Ticket

MAX_TRANSCRIPT = 20_000


@dataclass(frozen=True)
class CategoryStat:
    """Tickets filed in a category over a window and how their requesters rated them."""

    category: str
    tickets: int
    csat_average: float | None
    csat_count: int
    low_ratings: int


def _text(turn: dict[str, Any]) -> str:
    """A turn's text, whichever key the caller used (`body`, `text`, `content` or `message`)."""
    for key in ("body", "text", "content", "message"):
        if turn.get(key):
            return str(turn[key]).strip()
    return ""


def render_transcript(transcript: list[dict[str, Any]]) -> str:
    """The assistant conversation as text, one `role: text` line per turn (capped)."""
    lines = []
    for turn in transcript or []:
        role = str(turn.get("role") or turn.get("from") or "user")
        text = _text(turn)
        if text:
            lines.append(f"{role}: {text}")
    return "\n".join(lines)[:MAX_TRANSCRIPT]


def _last_user_turn(transcript: list[dict[str, Any]]) -> str:
    for turn in reversed(transcript or []):
        if str(turn.get("role") or turn.get("from") or "user") == "user":
            text = _text(turn)
            if text:
                return text
    return ""


async def open_ticket_for_conversation(conversation_id: str) -> Ticket | None:
    """The newest not-yet-solved ticket linked to an assistant conversation."""
    return (
        await Ticket.filter(conversation_id=str(conversation_id), status__in=ACTIVE_STATUSES)
        .order_by("-id")
        .first()
    )


async def handoff_ticket(
    context: Any, *, conversation_id: str, subject: str, transcript: list[dict[str, Any]], topic: str | None
) -> Any:
    """Create (or return the open) ticket for an assistant conversation; requester = the signed-in
    actor (restricted sessions allowed); the transcript is attached as the first message."""
    from plugins.support import service
    from plugins.support.types import ticket_of

    actor = context.require_user(allow_restricted=True)
    existing = await open_ticket_for_conversation(conversation_id)
    if existing is not None and str(existing.requester_id) == actor.user_id:
        return await ticket_of(context, existing)
    category = topic if topic in categories() else HUMAN_AGENT
    body = _last_user_turn(transcript) or (subject or "").strip() or category
    new = service.NewTicket(
        category=category,
        subject=((subject or "").strip() or body)[: service.MAX_SUBJECT],
        body=body[: service.MAX_BODY],
        conversation_id=str(conversation_id),
        transcript=render_transcript(transcript) or None,
        language=context.language,
    )
    ticket = await service.create_ticket(context.services, actor, new)
    return await ticket_of(context, ticket)


async def post_requester_message(
    services: Services, *, conversation_id: str, body: str, user_id: Any
) -> None:
    """Forward a requester's message from the assistant to the conversation's open ticket."""
    from core.context import Actor
    from plugins.support import service

    ticket = await open_ticket_for_conversation(conversation_id)
    if ticket is None or str(ticket.requester_id) != str(user_id):
        raise DomainError("NOT_FOUND", field="conversationId")
    actor = Actor(user_id=str(user_id), restricted=True)
    await service.reply(services, actor, ticket.pk, body)


async def is_handed_off(conversation_id: str) -> bool:
    """True while a ticket for the conversation is NEW, OPEN or PENDING (the bot stays quiet)."""
    return await Ticket.filter(conversation_id=str(conversation_id), status__in=ACTIVE_STATUSES).exists()


async def category_stats(since: datetime, until: datetime) -> list[CategoryStat]:
    """Per category: tickets created in [since, until) and their ratings (low = 1 or 2)."""
    from plugins.support.metrics import category_rows

    return [CategoryStat(**row) for row in await category_rows(since, until)]


async def has_open_ticket(ticket_id: int, requester_id: int | str) -> bool:
    """True when ticket `ticket_id` was filed by `requester_id` and is still open (not solved or
    closed): what agents' account-recovery actions require."""
    return await Ticket.filter(
        id=ticket_id, requester_id=int(requester_id), status__in=ACTIVE_STATUSES
    ).exists()


async def latest_ticket(user_id: int | str) -> dict | None:
    """The user's newest ticket as they see it (number, subject, status, dates), or None. The
    assistant answers "where is my ticket" with it."""
    ticket = await Ticket.filter(requester_id=int(user_id)).order_by("-id").first()
    if ticket is None:
        return None
    return {
        "id": ticket.id,
        "number": ticket.number or ticket.id,
        "subject": ticket.subject,
        "status": ticket.status,
        "created_at": ticket.created_at,
        "first_response_at": ticket.first_response_at,
        "solved_at": ticket.solved_at,
    }
