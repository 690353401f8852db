"""Agents: availability, automatic (least-loaded) and manual assignment, and the queue job."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from core.context import Services
from core.duties import forbid_own_case
from core.errors import DomainError
from core.roles import Role
from plugins.account.api import account_summary
from plugins.support.models import ACTIVE_STATUSES, AgentProfile, Ticket, TicketHistory

AGENT_ROLES = (Role.AGENT, Role.ADMIN)


def holds_agent_role(user: Any) -> bool:
    """An active account (an `AccountSummary` or a loaded relation) with the AGENT (or ADMIN) role."""
    return user is not None and user.status == "ACTIVE" and any(r in AGENT_ROLES for r in user.roles or [])


async def loads(agent_ids: list[int]) -> dict[int, int]:
    """Open tickets (NEW, OPEN, PENDING) assigned to each agent (one grouped query)."""
    rows = (
        await Ticket.filter(assignee_id__in=agent_ids, status__in=ACTIVE_STATUSES)
        .annotate(n=Count("id"))
        .group_by("assignee_id")
        .values("assignee_id", "n")
    )
    return {row["assignee_id"]: row["n"] for row in rows}


async def pick_agent(requester_id: int | None = None) -> int | None:
    """The available agent with the fewest open tickets (ties: longest since last assignment),
    never the ticket's own requester (an agent does not work their own ticket)."""
    profiles = await AgentProfile.filter(available=True).select_related("user")
    candidates = [p for p in profiles if holds_agent_role(p.user) and p.user_id != requester_id]
    if not candidates:
        return None
    load = await loads([p.user_id for p in candidates])
    epoch = datetime.min.replace(tzinfo=UTC)
    best = min(candidates, key=lambda p: (load.get(p.user_id, 0), p.last_assigned_at or epoch, p.user_id))
    return best.user_id


async def set_assignee(ticket: Ticket, agent_id: int, *, actor_id: Any, at: datetime) -> None:
    """Assign inside the caller's transaction; a NEW ticket becomes OPEN (caller saves the ticket)."""
    previous = ticket.assignee_id
    ticket.assignee_id = agent_id
    if ticket.status == "NEW":
        ticket.status = "OPEN"
    await AgentProfile.filter(user_id=agent_id).update(last_assigned_at=at)
    from plugins.support.access import done_by

    pk, app = done_by(actor_id)
    await TicketHistory.create(
        ticket_id=ticket.pk,
        kind="assigned",
        actor_id=pk,
        data={"agent_id": agent_id, "previous": previous, "automatic": actor_id is None, **app},
    )


async def assign(services: Services, actor: Any, ticket_id: int, agent_id: int | None) -> Ticket:
    """Manual assignment to `agent_id` (an agent, else `NOT_AN_AGENT`), or automatic when None."""
    from plugins.support.access import require_agent, visible_ticket
    from plugins.support.publish import publish

    require_agent(actor)
    if agent_id is not None:
        if not holds_agent_role(await account_summary(agent_id)):
            raise DomainError("NOT_AN_AGENT", field="agentId")
    at = datetime.now(UTC)
    async with in_transaction():
        ticket = await visible_ticket(actor, ticket_id, lock=True)
        # Neither the requester's own assignment nor an assignment to the requester.
        forbid_own_case(actor.user_id, ticket.requester_id, field="ticketId")
        forbid_own_case(agent_id, ticket.requester_id, field="agentId")
        if ticket.status == "CLOSED":
            raise DomainError("TICKET_CLOSED", field="ticketId")
        chosen = agent_id if agent_id is not None else await pick_agent(ticket.requester_id)
        if chosen is None:
            raise DomainError("NO_AGENT_AVAILABLE", field="agentId")
        if chosen == ticket.assignee_id:
            return ticket
        await set_assignee(ticket, chosen, actor_id=actor.user_id if agent_id is not None else None, at=at)
        await ticket.save()
    await publish(services, "assigned", ticket)
    return ticket


async def set_availability(services: Services, actor: Any, available: bool) -> AgentProfile:
    """An agent toggles availability; going available pulls unassigned tickets from the queue."""
    from plugins.support.access import require_agent

    require_agent(actor)
    profile, _ = await AgentProfile.get_or_create(user_id=int(actor.user_id))
    profile.available = available
    await profile.save()
    if available:
        await services.jobs.enqueue("support.assign_queue")
    return profile


async def assign_queue(services: Services, limit: int = 200) -> int:
    """Job: give unassigned open tickets (highest priority, earliest due first) to available agents."""
    from plugins.support.publish import publish

    waiting = (
        await Ticket.filter(assignee_id=None, status__in=ACTIVE_STATUSES)
        .order_by("-priority_rank", "due_at", "id")
        .limit(limit)
    )
    done = 0
    for candidate in waiting:
        at = datetime.now(UTC)
        async with in_transaction():
            ticket = await Ticket.filter(id=candidate.pk, assignee_id=None).select_for_update().first()
            agent_id = await pick_agent(ticket.requester_id) if ticket is not None else None
            if ticket is None or agent_id is None:
                continue
            await set_assignee(ticket, agent_id, actor_id=None, at=at)
            await ticket.save()
        await publish(services, "assigned", ticket)
        done += 1
    return done
