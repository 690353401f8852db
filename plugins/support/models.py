"""Support storage: tickets, their messages and event history, ratings, agent availability, macros."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

STATUSES = ("NEW", "OPEN", "PENDING", "SOLVED", "CLOSED")
PRIORITIES = ("LOW", "NORMAL", "HIGH", "URGENT")
#: Statuses in which an agent still owes the requester something (counted as an agent's load).
ACTIVE_STATUSES = ("NEW", "OPEN", "PENDING")


class Ticket(Model):
    """A support request. `number` is the deployment-wide number users quote.

    SLA due times move forward by the time spent in PENDING (the clock pauses while waiting on the user).
    """

    id = fields.IntField(primary_key=True)
    number = fields.IntField(null=True, unique=True)
    requester = fields.ForeignKeyField(
        "account.User", related_name="support_tickets", on_delete=fields.CASCADE
    )
    requester_id: int
    assignee = fields.ForeignKeyField(
        "account.User", related_name="support_assigned", null=True, on_delete=fields.SET_NULL
    )
    assignee_id: int | None
    subject = fields.CharField(max_length=200)
    category = fields.CharField(max_length=64, db_index=True)
    status = fields.CharField(max_length=10, default="NEW", db_index=True)
    priority = fields.CharField(max_length=10, default="NORMAL")
    #: Numeric rank of `priority` (URGENT=3 ... LOW=0) so the queue can sort by it.
    priority_rank = fields.SmallIntField(default=1)
    language = fields.CharField(max_length=8, default="zh-CN")
    conversation_id = fields.CharField(max_length=64, null=True, db_index=True)
    merged_into = fields.ForeignKeyField(
        "support.Ticket", related_name="merged_from", null=True, on_delete=fields.SET_NULL
    )
    merged_into_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    #: The next SLA deadline (first response, then resolution): the queue's secondary order.
    due_at = fields.DatetimeField(db_index=True)
    first_response_due_at = fields.DatetimeField(null=True)
    resolution_due_at = fields.DatetimeField(null=True)
    first_response_at = fields.DatetimeField(null=True)
    first_response_breached = fields.BooleanField(default=False)
    resolution_breached = fields.BooleanField(default=False)
    paused_at = fields.DatetimeField(null=True)
    solved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    survey_sent_at = fields.DatetimeField(null=True)
    last_message_id = fields.IntField(null=True)
    last_public_message_id = fields.IntField(null=True)

    class Meta:
        table = "support_ticket"


class TicketMessage(Model):
    """A public reply or an internal note (never shown to the requester) on a ticket."""

    id = fields.IntField(primary_key=True)
    ticket = fields.ForeignKeyField("support.Ticket", related_name="messages", on_delete=fields.CASCADE)
    ticket_id: int
    author = fields.ForeignKeyField(
        "account.User", related_name="support_messages", null=True, on_delete=fields.SET_NULL
    )
    #: The partner app that wrote it in place of an agent (then `author` is null).
    author_app_id = fields.IntField(null=True)
    #: That app's name when it wrote the message (shown as the author).
    author_name = fields.CharField(max_length=100, null=True)
    author_id: int | None
    #: REQUESTER, AGENT, NOTE (internal), TRANSCRIPT (assistant conversation) or SYSTEM.
    kind = fields.CharField(max_length=12)
    internal = fields.BooleanField(default=False)
    body = fields.TextField()
    attachments = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "support_message"


class TicketHistory(Model):
    """One entry of a ticket's full event history (created, replied, assigned, status, SLA, merge)."""

    id = fields.IntField(primary_key=True)
    ticket = fields.ForeignKeyField("support.Ticket", related_name="history", on_delete=fields.CASCADE)
    ticket_id: int
    kind = fields.CharField(max_length=32)
    actor = fields.ForeignKeyField(
        "account.User", related_name="support_history", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    internal = fields.BooleanField(default=False)
    data = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "support_history"


class TicketRating(Model):
    """The requester's satisfaction rating (1 to 5) of a solved ticket, at most one per ticket."""

    id = fields.IntField(primary_key=True)
    ticket = fields.OneToOneField("support.Ticket", related_name="rating", on_delete=fields.CASCADE)
    ticket_id: int
    score = fields.SmallIntField()
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "support_rating"


class AgentProfile(Model):
    """An agent's availability for automatic assignment (toggled by the agent)."""

    id = fields.IntField(primary_key=True)
    user = fields.OneToOneField("account.User", related_name="support_agent", on_delete=fields.CASCADE)
    user_id: int
    available = fields.BooleanField(default=False)
    last_assigned_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "support_agent"


class Macro(Model):
    """A canned reply with `{name}`, `{number}` and `{agent}` placeholders filled when used."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)
    body = fields.TextField()
    created_by = fields.ForeignKeyField(
        "account.User", related_name="support_macros", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "support_macro"
