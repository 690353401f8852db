"""GraphQL types of the support plugin (docs/api.md: Ticket, TicketMessage, TicketEvent, ...)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from core.roles import Role
from core.rows import Row, columns_for, reader
from plugins.account.api import load_user
from plugins.support import loaders
from plugins.support.access import is_agent
from plugins.support.desk import TICKET_COLUMNS
from plugins.support.errors import CODES
from plugins.support.models import Ticket as TicketModel
from plugins.support.models import TicketMessage as MessageModel
from plugins.support.models import TicketRating as RatingModel
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, Node, connection, to_global_id
from schema.selection import wants

if TYPE_CHECKING:
    from plugins.account.api import MaskedSecurityEvent, User

UserType = Annotated["User", strawberry.lazy("plugins.account.api")]
MaskedSecurityEventType = Annotated["MaskedSecurityEvent", strawberry.lazy("plugins.account.api")]


@strawberry.type(description="Why a support operation failed.")
class SupportError(PluginError, codes=CODES, plugin="support"):
    pass


support_error_handler = SupportError.handler


@strawberry.enum(description="Where a ticket is: NEW, OPEN, PENDING (waiting on the user), SOLVED, CLOSED.")
class TicketStatus(enum.Enum):
    NEW = "NEW"
    OPEN = "OPEN"
    PENDING = "PENDING"
    SOLVED = "SOLVED"
    CLOSED = "CLOSED"


@strawberry.enum(description="How urgent a ticket is; priority support raises tickets to HIGH.")
class TicketPriority(enum.Enum):
    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    URGENT = "URGENT"


@strawberry.type(description="A file attached to a ticket message (stored by content hash).")
class TicketAttachment:
    key: str = strawberry.field(description="SHA-256 of the content (storage key).")
    content_type: str = strawberry.field(description="Type detected from the content.")
    size: int = strawberry.field(description="Bytes.")
    filename: str = strawberry.field(description="Name the client gave.")
    message_pk: strawberry.Private[int] = 0
    index: strawberry.Private[int] = 0

    @strawberry.field(
        description="Signed download URL, valid 5 minutes and for the caller only (null for apps)."
    )
    def download_url(self, info: Info) -> str | None:
        from plugins.support.files import attachment_url

        return attachment_url(info.context, self.message_pk, self.index)


@strawberry.type(description="A public reply or an internal note (agents only) on a ticket.")
class TicketMessage(Node):
    pk: strawberry.Private[int]
    author_pk: strawberry.Private[int | None]
    body: str = strawberry.field(description="The text.")
    author_app_name: str | None = strawberry.field(
        default=None,
        description="The partner app that wrote it in place of an agent, by name (then `author` is null).",
    )
    internal: bool = strawberry.field(description="True for an agents-only note.")
    kind: str = strawberry.field(description="REQUESTER, AGENT, NOTE, TRANSCRIPT or SYSTEM.")
    attachments: list[TicketAttachment] = strawberry.field(description="Attached files.")
    created_at: datetime = strawberry.field(description="When it was written.")

    @strawberry.field(description="Who wrote it (null for the assistant transcript and system messages).")
    async def author(self, info: Info) -> UserType | None:
        return await load_user(info.context, self.author_pk)

    @classmethod
    def from_model(cls, message: MessageModel) -> TicketMessage:
        return cls.from_data(
            {
                "id": message.pk,
                "author_id": message.author_id,
                "author_name": message.author_name,
                "body": message.body,
                "internal": message.internal,
                "kind": message.kind,
                "attachments": message.attachments,
                "created_at": message.created_at,
            }
        )

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> TicketMessage:
        created = data["created_at"]
        return cls(
            id=to_global_id("TicketMessage", data["id"]),
            pk=data["id"],
            author_pk=data.get("author_id"),
            author_app_name=data.get("author_name"),
            body=data["body"],
            internal=data["internal"],
            kind=data["kind"],
            attachments=[
                TicketAttachment(**a, message_pk=data["id"], index=i)
                for i, a in enumerate(data.get("attachments") or [])
            ],
            created_at=datetime.fromisoformat(created) if isinstance(created, str) else created,
        )


@strawberry.type(description="One entry of a ticket's history.")
class TicketHistoryEntry:
    actor_pk: strawberry.Private[int | None]
    kind: str = strawberry.field(
        description="created, replied, note, assigned, status_changed, sla_breached, merged, rated, closed."
    )
    detail: strawberry.scalars.JSON = strawberry.field(description="What changed (ids, old and new status).")
    created_at: datetime = strawberry.field(description="When.")

    @strawberry.field(description="Who did it (null for the system).")
    async def actor(self, info: Info) -> UserType | None:
        return await load_user(info.context, self.actor_pk)


@strawberry.type(description="The requester's rating of a solved ticket.")
class TicketRating:
    score: int = strawberry.field(description="1 (bad) to 5 (excellent).")
    comment: str = strawberry.field(description="Optional comment.")
    created_at: datetime = strawberry.field(description="When it was given.")

    @classmethod
    def from_model(cls, rating: RatingModel) -> TicketRating:
        return cls(score=rating.score, comment=rating.comment, created_at=rating.created_at)


async def _requester_security_events(root: Any, info: Info) -> list[MaskedSecurityEventType] | None:
    from plugins.account.api import recent_security_events

    actor = info.context.actor
    if actor is None or not actor.has_role(Role.AGENT):
        return None
    return await recent_security_events(root.record.requester_id)


async def _messages(
    root: Any, info: Info, first: int | None = None, after: str | None = None
) -> Connection[TicketMessage]:
    page = await loaders.messages_page(root.record.pk, is_agent(info.context.caller), first, after)
    return connection(page, TicketMessage.from_model)


@strawberry.type(description="A support ticket. Requesters see their own; agents see all.")
class Ticket(Node):
    #: The model, or a `Row` of the columns the fields read (the ticket lists).
    record: strawberry.Private[TicketModel | Row]
    number: int = strawberry.field(description="The deployment-wide ticket number users quote.")
    subject: str = strawberry.field(description="Short summary.")
    status: TicketStatus = strawberry.field(description="Current status.")
    priority: TicketPriority = strawberry.field(description="Current priority.")
    category: str = strawberry.field(description="Help topic or service area key, e.g. `payments.refund`.")
    first_response_due_at: datetime | None = strawberry.field(description="First-response SLA deadline.")
    resolution_due_at: datetime | None = strawberry.field(description="Resolution SLA deadline.")
    created_at: datetime = strawberry.field(description="When it was filed.")

    # Loaded for the whole list at once (`tickets_of`, a fixed number of queries) and kept as plain
    # attributes the executor completes directly; unselected ones stay None. The two resolver
    # fields between them are declared here too, to keep their place in the schema.
    requester: UserType = strawberry.field(description="Who filed it.")
    requester_security_events: list[MaskedSecurityEventType] | None = strawberry.field(
        resolver=_requester_security_events,
        description="Agents: the requester's ten latest security events (addresses masked), to judge "
        "an account-recovery request; null for anyone else.",
    )
    assignee: UserType | None = strawberry.field(description="The agent working on it, if any.")
    messages: Connection[TicketMessage] = strawberry.field(
        resolver=_messages, description="Messages, oldest first; internal notes only for agents."
    )
    last_message: TicketMessage | None = strawberry.field(
        description="The newest message the viewer may see."
    )

    @strawberry.field(description="The full event history (agents also see internal entries).")
    async def history(self, info: Info) -> list[TicketHistoryEntry]:
        rows = await loaders.history(self.record.pk, is_agent(info.context.caller))
        return [
            TicketHistoryEntry(actor_pk=r.actor_id, kind=r.kind, detail=r.data, created_at=r.created_at)
            for r in rows
        ]

    @strawberry.field(description="The requester's rating, once given.")
    async def rating(self, info: Info) -> TicketRating | None:
        found = await loaders.rating(info.context, self.record.pk)
        return TicketRating.from_model(found) if found else None

    @strawberry.field(description="The ticket this duplicate was merged into.")
    def merged_into_number(self) -> int | None:
        return self.record.merged_into_id

    @strawberry.field(description="When an agent first replied publicly.")
    def first_responded_at(self) -> datetime | None:
        return self.record.first_response_at

    @strawberry.field(description="When it was last marked solved.")
    def solved_at(self) -> datetime | None:
        return self.record.solved_at

    @strawberry.field(description="True when a first-response or resolution target was missed.")
    def sla_breached(self) -> bool:
        return self.record.first_response_breached or self.record.resolution_breached

    @strawberry.field(description="The assistant conversation this ticket came from, if any.")
    def conversation_id(self) -> strawberry.ID | None:
        return strawberry.ID(self.record.conversation_id) if self.record.conversation_id else None


@strawberry.type(description="Something that happened on a ticket (live, over the websocket).")
class TicketEvent:
    kind: str = strawberry.field(
        description="ticket.created, ticket.replied, ticket.status_changed, ticket.assigned, ..."
    )
    ticket_id: strawberry.ID = strawberry.field(description="The ticket's global ID.")
    message: TicketMessage | None = strawberry.field(description="The new message, for replies.")
    status: TicketStatus | None = strawberry.field(description="The ticket's status after the event.")


@strawberry.type(description="An agent's availability for automatic assignment.")
class AgentAvailability:
    available: bool = strawberry.field(description="True when the agent takes new tickets.")
    open_tickets: int = strawberry.field(description="NEW, OPEN and PENDING tickets assigned to the agent.")


@strawberry.type(description="A canned reply; `{name}`, `{number}` and `{agent}` are filled in when used.")
class SupportMacro(Node):
    title: str = strawberry.field(description="Short name agents pick it by.")
    body: str = strawberry.field(description="Text with placeholders.")


#: The columns each `Ticket` field reads: the lists read only those their document selects.
TICKET_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (), "number": ("number",), "subject": ("subject",), "status": ("status",),
    "priority": ("priority",), "category": ("category",),
    "firstResponseDueAt": ("first_response_due_at",), "resolutionDueAt": ("resolution_due_at",),
    "createdAt": ("created_at",), "requester": ("requester_id",),
    "requesterSecurityEvents": ("requester_id",), "assignee": ("assignee_id",), "messages": (),
    "lastMessage": ("last_message_id", "last_public_message_id"), "history": (), "rating": (),
    "mergedIntoNumber": ("merged_into_id",), "firstRespondedAt": ("first_response_at",),
    "solvedAt": ("solved_at",), "slaBreached": ("first_response_breached", "resolution_breached"),
    "conversationId": ("conversation_id",),
}  # fmt: skip


def ticket_columns(selected: frozenset[str]) -> tuple[str, ...]:
    """The columns (besides `id`) a page of tickets needs for the field names in `selected`."""
    return columns_for(selected, TICKET_FIELD_COLUMNS, TICKET_COLUMNS)


async def tickets_of(
    context: Any, rows: Sequence[TicketModel | Row], selected: frozenset[str] | None = None
) -> list[Ticket]:
    """GraphQL tickets for `rows` with what `selected` asks for of their requesters, assignees and
    last messages (the newest the viewer may see): at most two queries whatever the number of rows."""
    from plugins.account.api import load_users

    user_ids: set[int] = set()
    if wants(selected, "requester"):
        user_ids.update(t.requester_id for t in rows)
    if wants(selected, "assignee"):
        user_ids.update(t.assignee_id for t in rows if t.assignee_id is not None)
    users: dict[int, Any] = {}
    if user_ids:
        ordered = sorted(user_ids)
        users = dict(
            zip(ordered, await context.loader("account.users", load_users).load_many(ordered), strict=True)
        )
    agent = is_agent(context.caller)
    last_ids: dict[int, int | None] = {}
    if wants(selected, "lastMessage"):
        last_ids = {t.pk: t.last_message_id if agent else t.last_public_message_id for t in rows}
    messages: dict[int, TicketMessage] = {}
    wanted_ids = sorted({i for i in last_ids.values() if i is not None})
    if wanted_ids:
        found = await loaders.message_data_by_id(wanted_ids)
        messages = {pk: TicketMessage.from_data(data) for pk, data in found.items()}
    built = []
    for ticket in rows:
        get = reader(ticket)  # users are only looked up where they were selected (and read)
        assignee_id = get("assignee_id")
        last_id = last_ids.get(ticket.pk)
        built.append(
            _ticket(
                ticket,
                users.get(get("requester_id")) if users else None,
                users.get(assignee_id) if users and assignee_id is not None else None,
                messages.get(last_id) if last_id is not None else None,
            )
        )
    return built


async def ticket_of(context: Any, row: TicketModel, selected: frozenset[str] | None = None) -> Ticket:
    """One GraphQL ticket (`tickets_of` for a single row)."""
    return (await tickets_of(context, [row], selected))[0]


def _ticket(
    ticket: TicketModel | Row, requester: Any, assignee: Any, last_message: TicketMessage | None
) -> Ticket:
    # A row read with only the selected columns (`ticket_columns`) leaves the others None.
    get = reader(ticket)
    status, priority = get("status"), get("priority")
    return Ticket(
        id=to_global_id("Ticket", ticket.pk),
        record=ticket,
        number=get("number") or ticket.pk,
        subject=get("subject"),
        status=TicketStatus(status) if status is not None else None,  # type: ignore[arg-type]
        priority=TicketPriority(priority) if priority is not None else None,  # type: ignore[arg-type]
        category=get("category"),
        first_response_due_at=get("first_response_due_at"),
        resolution_due_at=get("resolution_due_at"),
        created_at=get("created_at"),
        requester=requester,
        assignee=assignee,
        last_message=last_message,
    )


TicketConnection = Connection[Ticket]
