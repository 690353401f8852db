"""Batched reads for the GraphQL types: the SQL a request issues does not grow with page size."""

from __future__ import annotations

from typing import Any

from core.pagination import Page, page_by_key
from plugins.support.models import TicketHistory, TicketMessage, TicketRating


async def messages_by_id(ids: list[int]) -> list[TicketMessage | None]:
    """Messages by id, in order (None where missing), one query (the request's loader batch)."""
    found = {m.pk: m for m in await TicketMessage.filter(id__in=ids)}
    return [found.get(i) for i in ids]


#: The columns `TicketMessage.from_data` reads.
MESSAGE_COLUMNS = ("id", "author_id", "author_name", "body", "internal", "kind", "attachments", "created_at")


async def message_data_by_id(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Messages by id as column dicts (no model objects: the ticket list's last messages), one query."""
    return {row["id"]: row for row in await TicketMessage.filter(id__in=ids).values(*MESSAGE_COLUMNS)}


async def message(context: Any, message_id: int | None) -> TicketMessage | None:
    """A message by id; every call of a request shares one query."""
    if message_id is None:
        return None
    return await context.loader("support.messages", messages_by_id).load(message_id)


async def _ratings_by_ticket(ids: list[int]) -> list[TicketRating | None]:
    found = {r.ticket_id: r for r in await TicketRating.filter(ticket_id__in=ids)}
    return [found.get(i) for i in ids]


async def rating(context: Any, ticket_id: int) -> TicketRating | None:
    """A ticket's rating (batched)."""
    return await context.loader("support.ratings", _ratings_by_ticket).load(ticket_id)


async def messages_page(ticket_id: int, include_internal: bool, first: int | None, after: str | None) -> Page:
    """One ticket's messages, oldest first (internal notes only for agents)."""
    query = TicketMessage.filter(ticket_id=ticket_id)
    if not include_internal:
        query = query.filter(internal=False)
    return await page_by_key(query, first, after, descending=False)


async def history(ticket_id: int, include_internal: bool) -> list[TicketHistory]:
    """One ticket's history, oldest first."""
    query = TicketHistory.filter(ticket_id=ticket_id)
    if not include_internal:
        query = query.filter(internal=False)
    return await query.order_by("id")
