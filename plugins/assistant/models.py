"""Assistant storage: conversations (anonymous or a user's) and their messages."""

from __future__ import annotations

from uuid import UUID

from tortoise import fields
from tortoise.models import Model


class Conversation(Model):
    """One chat with the assistant. `handed_off_at` is set once a human agent has it."""

    id = fields.UUIDField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    user_id: int | None
    language = fields.CharField(max_length=8, default="zh-CN")
    last_topic = fields.CharField(max_length=64, null=True)
    message_count = fields.IntField(default=0)
    handed_off_at = fields.DatetimeField(null=True)
    ticket_ref = fields.CharField(max_length=64, null=True)
    #: What the conversation is in the middle of: a pending action awaiting a slot or a yes/no
    #: (see plugins/assistant/actions/state.py). Stored here so any API process can continue it.
    state = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "assistant_conversation"


class Message(Model):
    """A message of a conversation: from the user, the assistant, or forwarded to the agent."""

    id = fields.IntField(primary_key=True)
    conversation = fields.ForeignKeyField(
        "assistant.Conversation", related_name="messages", on_delete=fields.CASCADE
    )
    conversation_id: UUID
    role = fields.CharField(max_length=16)  # user | assistant
    body = fields.TextField()
    language = fields.CharField(max_length=8)
    topic = fields.CharField(max_length=64, null=True)
    confidence = fields.FloatField(default=0)
    articles = fields.JSONField(default=list)
    forwarded = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "assistant_message"
