"""Agent tools: canned replies (macros) with placeholders, merging duplicate tickets, the queue."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from core.context import Services
from core.duties import forbid_own_case
from core.errors import DomainError, NotFound
from core.pagination import Page, page_by_key, page_by_offset
from plugins.account.api import account_summaries
from plugins.support import service, sla
from plugins.support.access import is_agent, require_agent, visible_ticket
from plugins.support.models import ACTIVE_STATUSES, Macro, Ticket
from plugins.support.publish import publish

PLACEHOLDERS = ("name", "number", "agent")


#: What a GraphQL ticket and its resolvers read of a row (the lists read only these).
TICKET_COLUMNS = (
    "number", "requester_id", "assignee_id", "subject", "category", "status", "priority",
    "conversation_id", "merged_into_id", "created_at", "first_response_due_at", "resolution_due_at",
    "first_response_at", "first_response_breached", "resolution_breached", "solved_at",
    "last_message_id", "last_public_message_id",
)  # fmt: skip


async def list_tickets(
    actor: Any,
    status: str | None,
    first: int | None,
    after: str | None,
    assigned_to_me: bool = False,
    columns: tuple[str, ...] = TICKET_COLUMNS,
) -> Page:
    """Requesters: their own tickets, newest first. Agents: the queue (all open tickets, or `status`),
    highest priority first, then the earliest deadline. Rows of `id` and `columns`."""
    if not is_agent(actor):
        query = Ticket.filter(requester_id=int(actor.user_id))
        query = query.filter(status=status) if status else query
        return await page_by_key(query, first, after, columns=columns)
    query = Ticket.filter(status=status) if status else Ticket.filter(status__in=ACTIVE_STATUSES)
    if assigned_to_me:
        query = query.filter(assignee_id=int(actor.user_id))
    ordered = query.order_by("-priority_rank", "due_at", "id")
    return await page_by_offset(ordered, first, after, columns=columns)


async def create_macro(actor: Any, title: str, body: str) -> Macro:
    """Save a canned reply (agents)."""
    require_agent(actor)
    title = service.clean_body(title, "input.title", 100)
    body = service.clean_body(body, "input.body")
    return await Macro.create(title=title, body=body, created_by_id=actor.user_pk)


def render(template: str, values: dict[str, str]) -> str:
    """Fill `{name}`-style placeholders; anything else in braces is left as written."""
    text = template
    for key in PLACEHOLDERS:
        text = text.replace("{" + key + "}", values.get(key, ""))
    return text


async def apply_macro(services: Services, actor: Any, ticket_id: int, macro_id: int, internal: bool) -> Any:
    """Reply on a ticket with a macro, placeholders filled for this requester and agent."""
    require_agent(actor)
    macro = await Macro.get_or_none(id=macro_id)
    if macro is None:
        raise NotFound(field="macroId")
    ticket = await visible_ticket(actor, ticket_id)
    forbid_own_case(actor.user_id, ticket.requester_id, field="ticketId")
    people = [ticket.requester_id] + ([actor.user_pk] if actor.user_pk is not None else [])
    accounts = await account_summaries(people)
    names = {pk: account.display_name for pk, account in accounts.items()}
    values = {
        "name": names.get(ticket.requester_id, ""),
        "number": str(ticket.number),
        # An app signs with its own name.
        "agent": (actor.name or "") if actor.is_app else names.get(actor.user_pk or 0, ""),
    }
    return await service.reply(services, actor, ticket_id, render(macro.body, values), internal=internal)


async def merge(services: Services, actor: Any, source_id: int, target_id: int) -> Ticket:
    """Merge a duplicate (`source`) into `target` of the same requester: the source is closed and
    points at the target, both get a message and a history entry."""
    require_agent(actor)
    if source_id == target_id:
        raise DomainError("CANNOT_MERGE", field="ticketId", detail="same ticket")
    at = service.now()
    async with in_transaction():
        # Lock in id order so two opposite merges cannot deadlock.
        locked = {
            t.pk: t
            for t in await Ticket.filter(id__in=[source_id, target_id]).select_for_update().order_by("id")
        }
        source, target = locked.get(source_id), locked.get(target_id)
        if source is None:
            raise NotFound(field="ticketId")
        if target is None:
            raise NotFound(field="intoTicketId")
        forbid_own_case(actor.user_id, source.requester_id, field="ticketId")
        if source.requester_id != target.requester_id:
            raise DomainError("CANNOT_MERGE", field="intoTicketId", detail="different requesters")
        if "CLOSED" in (source.status, target.status):
            raise DomainError("CANNOT_MERGE", field="intoTicketId", detail="a closed ticket")
        language = source.language
        note = services.catalog.message("SUPPORT_MERGED_INTO", language, {"number": target.number})
        await service.add_message(source, kind="SYSTEM", body=note, author_id=None)
        sla.apply_status(source, "CLOSED", at)
        source.merged_into_id = target.pk
        await service.history(source, "merged", actor.user_id, into=target.pk)
        note = services.catalog.message("SUPPORT_MERGED_FROM", target.language, {"number": source.number})
        message = await service.add_message(target, kind="SYSTEM", body=note, author_id=None)
        await service.history(target, "merged", actor.user_id, source=source.pk)
        await source.save()
        await target.save()
    await publish(services, "status_changed", source, previous="merged")
    await publish(services, "replied", target, message=message)
    return target
