"""Ticket life cycle: create, reply, change status, rate. No GraphQL here.

Inputs are validated and attachments stored before the transaction, so a rejected request writes
nothing; events are published after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Services
from core.duties import forbid_own_case
from core.errors import DomainError, Forbidden, NotFound
from plugins.support import agents, attachments, sla
from plugins.support.access import done_by, is_agent, visible_ticket
from plugins.support.categories import check_category
from plugins.support.models import Ticket, TicketHistory, TicketMessage, TicketRating
from plugins.support.publish import publish
from plugins.support.settings import support_settings

MAX_BODY = 10_000
MAX_SUBJECT = 200
MAX_COMMENT = 2_000


def now() -> datetime:
    """The current UTC time."""
    return datetime.now(UTC)


def clean_body(body: str | None, field: str, limit: int = MAX_BODY) -> str:
    """Stripped text, or `EMPTY_BODY` / `INVALID_INPUT` when empty or too long."""
    text = (body or "").strip()
    if not text:
        raise DomainError("EMPTY_BODY", field=field)
    if len(text) > limit:
        raise DomainError("INVALID_INPUT", field=field, detail=f"at most {limit} characters")
    return text


async def history(
    ticket: Ticket, kind: str, actor_id: Any = None, *, internal: bool = False, **data: Any
) -> None:
    """Append to the ticket's event history (inside the caller's transaction); an app's
    `app:<id>` is kept in the entry's data."""
    pk, app = done_by(actor_id)
    await TicketHistory.create(
        ticket_id=ticket.pk, kind=kind, actor_id=pk, internal=internal, data={**data, **app}
    )


async def add_message(
    ticket: Ticket,
    *,
    kind: str,
    body: str,
    author_id: Any,
    internal: bool = False,
    files: list | None = None,
    app: Any = None,
) -> TicketMessage:
    """Store a message and point the ticket's last-message columns at it (caller saves the ticket).
    `app` (an app `Actor`) writes it as that app: no user author, the app's id and name instead."""
    message = await TicketMessage.create(
        ticket_id=ticket.pk,
        kind=kind,
        body=body,
        author_id=int(author_id) if author_id and app is None else None,
        author_app_id=int(app.app_id) if app is not None else None,
        author_name=(app.name or f"App {app.app_id}")[:100] if app is not None else None,
        internal=internal,
        attachments=files or [],
    )
    ticket.last_message_id = message.pk
    if not internal:
        ticket.last_public_message_id = message.pk
    return message


@dataclass
class NewTicket:
    """What a ticket is created from (by a user or by an assistant handoff)."""

    category: str
    subject: str
    body: str
    uploads: list[Any] = field(default_factory=list)
    conversation_id: str | None = None
    transcript: str | None = None
    language: str = "zh-CN"
    #: False when the priority add-on's feature flag is off for the requester (`premium.priority_support`).
    priority_feature: bool = True


async def create_ticket(services: Services, actor: Any, new: NewTicket) -> Ticket:
    """File a ticket: priority and SLA policy from the requester's entitlements, then auto-assign."""
    category = check_category(new.category)
    subject = clean_body(new.subject, "input.subject", MAX_SUBJECT)
    body = clean_body(new.body, "input.body")
    if new.conversation_id is not None and not (0 < len(new.conversation_id) <= 64):
        raise DomainError("INVALID_INPUT", field="input.conversationId", detail="bad conversation id")
    uploads = attachments.check_count(new.uploads, services, "input.attachments")
    settings = support_settings(services)
    granted = await services.entitlements.for_user(actor.user_id)
    priority = "HIGH" if new.priority_feature and settings.priority_entitlement in granted else "NORMAL"
    files = await attachments.store_all(services, uploads, "input.attachments")
    at = now()
    async with in_transaction():
        ticket = Ticket(
            requester_id=int(actor.user_id),
            subject=subject,
            category=category,
            priority=priority,
            language=new.language,
            conversation_id=new.conversation_id,
        )
        sla.start_clock(ticket, at, settings)
        await ticket.save()
        ticket.number = ticket.pk
        await history(ticket, "created", actor.user_id, priority=priority, category=category)
        if new.transcript:
            await add_message(ticket, kind="TRANSCRIPT", body=new.transcript, author_id=None)
        await add_message(ticket, kind="REQUESTER", body=body, author_id=actor.user_id, files=files)
        agent_id = await agents.pick_agent(ticket.requester_id)
        if agent_id is not None:
            await agents.set_assignee(ticket, agent_id, actor_id=None, at=at)
        await ticket.save()
    await publish(services, "created", ticket)
    if ticket.assignee_id:
        await publish(services, "assigned", ticket)
    return ticket


async def reply(
    services: Services,
    actor: Any,
    ticket_id: int,
    body: str,
    *,
    internal: bool = False,
    uploads: list | None = None,
) -> TicketMessage:
    """A public reply (requester or agent) or an internal note (agents only)."""
    text = clean_body(body, "input.body")
    agent = is_agent(actor)
    if internal and not agent:
        raise DomainError("INVALID_INPUT", field="input.internal", detail="only agents write internal notes")
    files_in = attachments.check_count(uploads, services, "input.attachments")
    ticket = await visible_ticket(actor, ticket_id)
    if internal:
        forbid_own_case(actor.user_id, ticket.requester_id, field="input.internal")
    if ticket.status == "CLOSED":
        raise DomainError("TICKET_CLOSED", field="input.ticketId")
    files = await attachments.store_all(services, files_in, "input.attachments")
    at = now()
    async with in_transaction():
        ticket = await visible_ticket(actor, ticket_id, lock=True)
        if ticket.status == "CLOSED":
            raise DomainError("TICKET_CLOSED", field="input.ticketId")
        before = ticket.status
        from_requester = str(ticket.requester_id) == actor.user_id
        kind = "NOTE" if internal else ("REQUESTER" if from_requester else "AGENT")
        message = await add_message(
            ticket, kind=kind, body=text, author_id=actor.user_id, internal=internal, files=files,
            app=actor if actor.is_app else None,
        )  # fmt: skip
        if kind == "AGENT":
            sla.record_first_response(ticket, at)
            # An app answers in place of the desk; it is no agent to assign the ticket to.
            if ticket.assignee_id is None and not actor.is_app:
                await agents.set_assignee(ticket, int(actor.user_id), actor_id=actor.user_id, at=at)
        elif kind == "REQUESTER" and ticket.status in ("PENDING", "SOLVED"):
            sla.apply_status(ticket, "OPEN", at)
        await history(
            ticket, "note" if internal else "replied", actor.user_id, internal=internal, message_id=message.pk
        )
        if ticket.status != before:
            await history(ticket, "status_changed", actor.user_id, old=before, new=ticket.status)
        await ticket.save()
    await publish(services, "replied", ticket, message=message)
    if ticket.status != before:
        await publish(services, "status_changed", ticket, previous=before)
    return message


async def own_message(actor: Any, message_id: int) -> TicketMessage:
    """A message the actor wrote (a retried `ticketReply` returns it again)."""
    author = {"author_app_id": int(actor.app_id)} if actor.is_app else {"author_id": int(actor.user_id)}
    message = await TicketMessage.filter(pk=message_id, **author).first()
    if message is None:
        raise DomainError("NOT_FOUND", field="input.ticketId")
    return message


async def set_status(services: Services, actor: Any, ticket_id: int, target: str) -> Ticket:
    """Change the status: agents along `AGENT_TRANSITIONS`, requesters may only mark solved."""
    at = now()
    async with in_transaction():
        ticket = await visible_ticket(actor, ticket_id, lock=True)
        before = ticket.status
        if target == before:
            return ticket
        own = str(ticket.requester_id) == actor.user_id
        allowed = sla.AGENT_TRANSITIONS if is_agent(actor) and not own else sla.REQUESTER_TRANSITIONS
        if target not in allowed[before]:
            if own and is_agent(actor) and target in sla.AGENT_TRANSITIONS[before]:
                # An agent deciding their own ticket's status: only what any requester may do.
                forbid_own_case(actor.user_id, ticket.requester_id, field="ticketId")
            raise DomainError("INVALID_STATUS_CHANGE", field="status", current=before, target=target)
        sla.apply_status(ticket, target, at)
        await history(ticket, "status_changed", actor.user_id, old=before, new=target)
        await ticket.save()
    await publish(services, "status_changed", ticket, previous=before)
    return ticket


async def rate(
    services: Services, actor: Any, ticket_id: int, score: int, comment: str | None
) -> TicketRating:
    """The requester rates a solved (or closed) ticket once, 1 to 5."""
    ticket = await visible_ticket(actor, ticket_id)
    if str(ticket.requester_id) != actor.user_id:
        raise Forbidden()
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError("INVALID_SCORE", field="score")
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise DomainError("INVALID_INPUT", field="comment", detail=f"at most {MAX_COMMENT} characters")
    if ticket.status not in ("SOLVED", "CLOSED") or ticket.merged_into_id:
        raise DomainError("NOT_SOLVED", field="ticketId")
    if await TicketRating.exists(ticket_id=ticket.pk):
        raise DomainError("ALREADY_RATED", field="ticketId")
    try:
        async with in_transaction():
            rating = await TicketRating.create(ticket_id=ticket.pk, score=score, comment=text)
            await history(ticket, "rated", actor.user_id, score=score)
    except IntegrityError:
        raise DomainError("ALREADY_RATED", field="ticketId") from None
    await publish(services, "rated", ticket, score=score)
    return rating


async def ticket_by_number_or_none(number: int) -> Ticket | None:
    """A ticket by its number (CLI and demo)."""
    return await Ticket.get_or_none(number=number)


async def require_ticket(ticket_id: int) -> Ticket:
    """A ticket by id for internal callers, or NOT_FOUND."""
    ticket = await Ticket.get_or_none(id=ticket_id)
    if ticket is None:
        raise NotFound()
    return ticket
