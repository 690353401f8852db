"""GraphQL operations of the support plugin: thin resolvers over the service modules."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from core.idempotency import create_once
from core.pagination import Page
from core.roles import Role
from plugins.support import agents, desk, service, streams
from plugins.support.access import visible_ticket
from plugins.support.metrics import compute
from plugins.support.metrics_types import SupportMetrics
from plugins.support.models import Macro
from plugins.support.settings import support_settings
from plugins.support.types import (
    AgentAvailability,
    SupportError,
    SupportMacro,
    Ticket,
    TicketConnection,
    TicketEvent,
    TicketMessage,
    TicketRating,
    TicketStatus,
    ticket_columns,
    ticket_of,
    tickets_of,
)
from schema.idempotency import client_mutation_id, input_payload
from schema.info import Info
from schema.permissions import requires
from schema.relay import connection, int_pk, to_global_id
from schema.selection import selected_names

TicketCreateResult = Annotated[
    Ticket | SupportError,
    strawberry.union("TicketCreateResult", description="The result of `ticketCreate`, or why it failed."),
]
TicketReplyResult = Annotated[
    TicketMessage | SupportError,
    strawberry.union("TicketReplyResult", description="The result of `ticketReply`, or why it failed."),
]
TicketAssignResult = Annotated[
    Ticket | SupportError,
    strawberry.union("TicketAssignResult", description="The result of `ticketAssign`, or why it failed."),
]
TicketSetStatusResult = Annotated[
    Ticket | SupportError,
    strawberry.union(
        "TicketSetStatusResult", description="The result of `ticketSetStatus`, or why it failed."
    ),
]
TicketRateResult = Annotated[
    TicketRating | SupportError,
    strawberry.union("TicketRateResult", description="The result of `ticketRate`, or why it failed."),
]
TicketMergeResult = Annotated[
    Ticket | SupportError,
    strawberry.union("TicketMergeResult", description="The result of `ticketMerge`, or why it failed."),
]
TicketApplyMacroResult = Annotated[
    TicketMessage | SupportError,
    strawberry.union(
        "TicketApplyMacroResult", description="The result of `ticketApplyMacro`, or why it failed."
    ),
]
SupportMacroCreateResult = Annotated[
    SupportMacro | SupportError,
    strawberry.union(
        "SupportMacroCreateResult", description="The result of `supportMacroCreate`, or why it failed."
    ),
]


@strawberry.input(description="A new ticket.")
class TicketCreateInput:
    category: str = strawberry.field(
        description="A help topic key (e.g. `payments.refund`) or area (`payments`)."
    )
    subject: str = strawberry.field(description="Short summary, 1 to 200 characters.")
    body: str = strawberry.field(description="What happened, up to 10,000 characters.")
    attachments: list[Upload] | None = strawberry.field(
        default=None, description="Up to 5 images, PDFs or videos, 10 MB each."
    )
    conversation_id: strawberry.ID | None = strawberry.field(
        default=None, description="The assistant conversation this continues."
    )
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="A reply on a ticket.")
class TicketReplyInput:
    ticket_id: strawberry.ID = strawberry.field(description="The ticket.")
    body: str = strawberry.field(description="The text, up to 10,000 characters.")
    internal: bool | None = strawberry.field(default=False, description="An agents-only note.")
    attachments: list[Upload] | None = strawberry.field(
        default=None, description="Up to 5 images, PDFs or videos, 10 MB each."
    )
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="A canned reply.")
class SupportMacroCreateInput:
    title: str = strawberry.field(description="Short name, up to 100 characters.")
    body: str = strawberry.field(description="Text; `{name}`, `{number}` and `{agent}` are filled in.")


def _ticket_pk(ticket_id: str, field: str = "ticketId") -> int:
    return int_pk(ticket_id, "Ticket", field=field)


def _macro(macro: Macro) -> SupportMacro:
    return SupportMacro(id=to_global_id("SupportMacro", macro.pk), title=macro.title, body=macro.body)


@strawberry.type
class SupportQuery:
    @strawberry.field(
        description="My tickets (newest first); for agents and apps the queue: priority, then deadline.",
        extensions=requires(user=True, permission="tickets:read", allow_restricted=True),
    )
    async def tickets(
        self,
        info: Info,
        status: TicketStatus | None = None,
        first: int | None = None,
        after: str | None = None,
        assigned_to_me: bool = False,
    ) -> TicketConnection:
        actor = info.context.require_caller()  # admitted by `requires`
        mine = assigned_to_me and not actor.is_app
        selected = selected_names(info)
        status_value = status.value if status else None
        columns = ticket_columns(selected)
        page = await desk.list_tickets(actor, status_value, first, after, mine, columns=columns)
        built = await tickets_of(info.context, page.items, selected)
        return connection(Page(built, page.cursors, page.has_next))

    @strawberry.field(
        description="Support desk metrics over a window (default: last 30 days).",
        extensions=requires(Role.AGENT, permission="tickets:read"),
    )
    async def support_metrics(
        self, info: Info, since: datetime | None = None, until: datetime | None = None
    ) -> SupportMetrics | None:
        return SupportMetrics.from_report(await compute(info.context.services, since, until))

    @strawberry.field(
        description="Canned replies.", extensions=requires(Role.AGENT, permission="tickets:read")
    )
    async def support_macros(self, info: Info) -> list[SupportMacro]:
        return [_macro(m) for m in await Macro.all().order_by("title", "id")]

    @strawberry.field(
        description="The signed-in agent's availability and load.", extensions=requires(Role.AGENT)
    )
    async def support_agent_availability(self, info: Info) -> AgentAvailability:
        actor = info.context.actor
        return await _availability(actor)


async def _availability(actor) -> AgentAvailability:
    from plugins.support.models import AgentProfile

    profile = await AgentProfile.get_or_none(user_id=int(actor.user_id))
    load = await agents.loads([int(actor.user_id)])
    return AgentAvailability(
        available=bool(profile and profile.available), open_tickets=load.get(int(actor.user_id), 0)
    )


async def _priority_feature_on(context) -> bool:
    """The priority add-on's flag (`premium.<priority entitlement>`), when a plugin declares it."""
    flags = context.services.flags
    key = f"premium.{support_settings(context.services).priority_entitlement}"
    return key not in flags.specs or await flags.enabled(key, context)


@strawberry.type
class SupportMutation:
    @strawberry.mutation(
        description="File a ticket (banned accounts may too).",
        extensions=requires(user=True, allow_restricted=True),
    )
    async def ticket_create(self, info: Info, input: TicketCreateInput) -> TicketCreateResult:
        actor = info.context.require_user(allow_restricted=True)
        new = service.NewTicket(
            category=input.category,
            subject=input.subject,
            body=input.body,
            uploads=list(input.attachments or []),
            conversation_id=str(input.conversation_id) if input.conversation_id else None,
            language=info.context.language,
            priority_feature=await _priority_feature_on(info.context),
        )
        ticket = await create_once(
            info.context, "ticketCreate", input.client_mutation_id, input_payload(input),
            lambda: service.create_ticket(info.context.services, actor, new),
            lambda pk: visible_ticket(actor, int(pk)),
        )  # fmt: skip
        return await ticket_of(info.context, ticket, selected_names(info))

    @strawberry.mutation(
        description="Reply on a ticket, or (agents) add an internal note.",
        extensions=requires(user=True, permission="tickets:write", allow_restricted=True),
    )
    async def ticket_reply(self, info: Info, input: TicketReplyInput) -> TicketReplyResult:
        actor = info.context.caller
        ticket_pk = _ticket_pk(input.ticket_id, "input.ticketId")
        message = await create_once(
            info.context, "ticketReply", input.client_mutation_id, input_payload(input),
            lambda: service.reply(
                info.context.services, actor, ticket_pk, input.body,
                internal=bool(input.internal), uploads=list(input.attachments or []),
            ),
            lambda pk: service.own_message(actor, int(pk)),
        )  # fmt: skip
        return TicketMessage.from_model(message)

    @strawberry.mutation(
        description="Assign to an agent; without `agentId` the least-loaded available agent.",
        extensions=requires(Role.AGENT, permission="tickets:write"),
    )
    async def ticket_assign(
        self, info: Info, ticket_id: strawberry.ID, agent_id: strawberry.ID | None = None
    ) -> TicketAssignResult:
        actor = info.context.caller
        agent_pk = int_pk(agent_id, "User", field="agentId") if agent_id else None
        ticket = await agents.assign(info.context.services, actor, _ticket_pk(ticket_id), agent_pk)
        return await ticket_of(info.context, ticket, selected_names(info))

    @strawberry.mutation(
        description="Change the status (agents; requesters may mark their ticket solved).",
        extensions=requires(user=True, permission="tickets:write", allow_restricted=True),
    )
    async def ticket_set_status(
        self, info: Info, ticket_id: strawberry.ID, status: TicketStatus
    ) -> TicketSetStatusResult:
        actor = info.context.caller
        ticket = await service.set_status(info.context.services, actor, _ticket_pk(ticket_id), status.value)
        return await ticket_of(info.context, ticket, selected_names(info))

    @strawberry.mutation(
        description="Rate a solved ticket 1 to 5, once (the requester).",
        extensions=requires(user=True, allow_restricted=True),
    )
    async def ticket_rate(
        self, info: Info, ticket_id: strawberry.ID, score: int, comment: str | None = None
    ) -> TicketRateResult:
        actor = info.context.require_user(allow_restricted=True)
        rating = await service.rate(info.context.services, actor, _ticket_pk(ticket_id), score, comment)
        return TicketRating.from_model(rating)

    @strawberry.mutation(
        description="Merge a duplicate ticket into another of the same requester.",
        extensions=requires(Role.AGENT),
    )
    async def ticket_merge(
        self, info: Info, ticket_id: strawberry.ID, into_ticket_id: strawberry.ID
    ) -> TicketMergeResult:
        actor = info.context.actor
        source, target = _ticket_pk(ticket_id), _ticket_pk(into_ticket_id, "intoTicketId")
        merged = await desk.merge(info.context.services, actor, source, target)
        return await ticket_of(info.context, merged, selected_names(info))

    @strawberry.mutation(
        description="Reply with a canned reply, placeholders filled in.",
        extensions=requires(Role.AGENT, permission="tickets:write"),
    )
    async def ticket_apply_macro(
        self, info: Info, ticket_id: strawberry.ID, macro_id: strawberry.ID, internal: bool = False
    ) -> TicketApplyMacroResult:
        actor = info.context.caller
        macro_pk = int_pk(macro_id, "SupportMacro", field="macroId")
        message = await desk.apply_macro(
            info.context.services, actor, _ticket_pk(ticket_id), macro_pk, internal
        )
        return TicketMessage.from_model(message)

    @strawberry.mutation(
        description="Save a canned reply.", extensions=requires(Role.AGENT, permission="tickets:write")
    )
    async def support_macro_create(
        self, info: Info, input: SupportMacroCreateInput
    ) -> SupportMacroCreateResult:
        actor = info.context.caller
        return _macro(await desk.create_macro(actor, input.title, input.body))

    @strawberry.mutation(
        description="Take (or stop taking) automatically assigned tickets.", extensions=requires(Role.AGENT)
    )
    async def support_agent_set_availability(self, info: Info, available: bool) -> AgentAvailability:
        actor = info.context.actor
        await agents.set_availability(info.context.services, actor, available)
        return await _availability(actor)


@strawberry.type
class SupportSubscription:
    @strawberry.subscription(description="Live events of a ticket (its requester and agents).")
    async def ticket_events(self, info: Info, ticket_id: strawberry.ID) -> AsyncGenerator[TicketEvent, None]:
        context = info.context
        actor = context.require_user(allow_restricted=True)
        pk = _ticket_pk(ticket_id)
        await visible_ticket(actor, pk)  # NOT_FOUND before anything is streamed
        # aclosing: a closed websocket must release its queue in the hub at once, not at garbage collection.
        async with contextlib.aclosing(streams.ticket_events(context, actor, pk)) as events:
            async for event, payload in events:
                message = payload.get("message")
                yield TicketEvent(
                    kind=event.name,
                    ticket_id=ticket_id,
                    message=TicketMessage.from_data(message) if message else None,
                    status=TicketStatus(payload["status"]) if payload.get("status") else None,
                )
