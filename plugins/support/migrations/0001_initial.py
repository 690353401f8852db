import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="AgentProfile",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.OneToOneField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_agent",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("available", fields.BooleanField(default=False)),
                ("last_assigned_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "support_agent",
                "app": "support",
                "pk_attr": "id",
                "table_description": "An agent's availability for automatic assignment (toggled by the agent).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Macro",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("title", fields.CharField(max_length=100)),
                ("body", fields.TextField(unique=False)),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="support_macros",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "support_macro",
                "app": "support",
                "pk_attr": "id",
                "table_description": "A canned reply with `{name}`, `{number}` and `{agent}` placeholders filled when used.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Ticket",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("number", fields.IntField(null=True, unique=True)),
                (
                    "requester",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="requester_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_tickets",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "assignee",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="assignee_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="support_assigned",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("subject", fields.CharField(max_length=200)),
                ("category", fields.CharField(db_index=True, max_length=64)),
                ("status", fields.CharField(default="NEW", db_index=True, max_length=10)),
                ("priority", fields.CharField(default="NORMAL", max_length=10)),
                (
                    "priority_rank",
                    fields.SmallIntField(
                        default=1,
                        description="Numeric rank of `priority` (URGENT=3 ... LOW=0) so the queue can sort by it.",
                    ),
                ),
                ("language", fields.CharField(default="zh-CN", max_length=8)),
                ("conversation_id", fields.CharField(null=True, db_index=True, max_length=64)),
                (
                    "merged_into",
                    fields.ForeignKeyField(
                        "support.Ticket",
                        source_field="merged_into_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="merged_from",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "due_at",
                    fields.DatetimeField(
                        db_index=True,
                        description="The next SLA deadline (first response, then resolution): the queue's secondary order.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "first_response_due_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("resolution_due_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("first_response_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("first_response_breached", fields.BooleanField(default=False)),
                ("resolution_breached", fields.BooleanField(default=False)),
                ("paused_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("solved_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("survey_sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_message_id", fields.IntField(null=True)),
                ("last_public_message_id", fields.IntField(null=True)),
            ],
            options={
                "table": "support_ticket",
                "app": "support",
                "pk_attr": "id",
                "table_description": "A support request. `number` is the deployment-wide number users quote.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TicketHistory",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "ticket",
                    fields.ForeignKeyField(
                        "support.Ticket",
                        source_field="ticket_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="history",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="support_history",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("internal", fields.BooleanField(default=False)),
                (
                    "data",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "support_history",
                "app": "support",
                "pk_attr": "id",
                "table_description": "One entry of a ticket's full event history (created, replied, assigned, status, SLA, merge).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TicketMessage",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "ticket",
                    fields.ForeignKeyField(
                        "support.Ticket",
                        source_field="ticket_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="author_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="support_messages",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "kind",
                    fields.CharField(
                        description="REQUESTER, AGENT, NOTE (internal), TRANSCRIPT (assistant conversation) or SYSTEM.",
                        max_length=12,
                    ),
                ),
                ("internal", fields.BooleanField(default=False)),
                ("body", fields.TextField(unique=False)),
                (
                    "attachments",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "support_message",
                "app": "support",
                "pk_attr": "id",
                "table_description": "A public reply or an internal note (never shown to the requester) on a ticket.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TicketRating",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "ticket",
                    fields.OneToOneField(
                        "support.Ticket",
                        source_field="ticket_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="rating",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("score", fields.SmallIntField()),
                ("comment", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "support_rating",
                "app": "support",
                "pk_attr": "id",
                "table_description": "The requester's satisfaction rating (1 to 5) of a solved ticket, at most one per ticket.",
            },
            bases=["Model"],
        ),
    ]
