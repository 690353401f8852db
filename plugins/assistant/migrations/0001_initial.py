import functools
from json import dumps, loads
from uuid import uuid4

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Conversation",
            fields=[
                ("id", fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("language", fields.CharField(default="zh-CN", max_length=8)),
                ("last_topic", fields.CharField(null=True, max_length=64)),
                ("message_count", fields.IntField(default=0)),
                ("handed_off_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("ticket_ref", fields.CharField(null=True, max_length=64)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "assistant_conversation",
                "app": "assistant",
                "pk_attr": "id",
                "table_description": "One chat with the assistant. `handed_off_at` is set once a human agent has it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Message",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "conversation",
                    fields.ForeignKeyField(
                        "assistant.Conversation",
                        source_field="conversation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("role", fields.CharField(max_length=16)),
                ("body", fields.TextField(unique=False)),
                ("language", fields.CharField(max_length=8)),
                ("topic", fields.CharField(null=True, max_length=64)),
                ("confidence", fields.FloatField(default=0)),
                (
                    "articles",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("forwarded", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "assistant_message",
                "app": "assistant",
                "pk_attr": "id",
                "table_description": "A message of a conversation: from the user, the assistant, or forwarded to the agent.",
            },
            bases=["Model"],
        ),
    ]
