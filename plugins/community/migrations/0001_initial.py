import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Board",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("slug", fields.CharField(unique=True, max_length=40)),
                ("kind", fields.CharField(default="SERVICE", max_length=12)),
                ("name_en", fields.CharField(max_length=80)),
                ("name_zh", fields.CharField(max_length=80)),
                ("description_en", fields.CharField(default="", max_length=300)),
                ("description_zh", fields.CharField(default="", max_length=300)),
                ("position", fields.IntField(default=0)),
                (
                    "moderators",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "community_board",
                "app": "community",
                "pk_attr": "id",
                "table_description": "A forum board. `moderators` lists user ids who moderate this board besides staff.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ModerationAction",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "moderator",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="moderator_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("target", fields.CharField(max_length=24)),
                ("action", fields.CharField(max_length=12)),
                ("note", fields.CharField(default="", max_length=500)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "community_moderation",
                "app": "community",
                "pk_attr": "id",
                "table_description": "What a moderator did to a post, with the note (audit trail).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Report",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "reporter",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="reporter_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("target", fields.CharField(max_length=24)),
                (
                    "board",
                    fields.ForeignKeyField(
                        "community.Board",
                        source_field="board_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("reason", fields.CharField(max_length=20)),
                ("note", fields.CharField(default="", max_length=500)),
                ("resolved_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "community_report",
                "app": "community",
                "unique_together": (("reporter", "target"),),
                "pk_attr": "id",
                "table_description": "A user's report of a post (one per user and post) awaiting a moderator.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Thread",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "board",
                    fields.ForeignKeyField(
                        "community.Board",
                        source_field="board_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="threads",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=120)),
                ("body", fields.TextField(unique=False)),
                ("body_html", fields.TextField(unique=False)),
                ("language", fields.CharField(default="en", max_length=8)),
                ("status", fields.CharField(default="VISIBLE", max_length=10)),
                ("locked", fields.BooleanField(default=False)),
                ("pinned", fields.BooleanField(default=False)),
                ("vote_count", fields.IntField(default=0)),
                ("reply_count", fields.IntField(default=0)),
                ("last_reply_id", fields.IntField(null=True)),
                ("accepted_reply_id", fields.IntField(null=True)),
                ("activity_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "community_thread",
                "app": "community",
                "indexes": [Index(fields=["board_id", "pinned", "activity_at"])],
                "pk_attr": "id",
                "table_description": "A thread: its first post (Markdown source and rendered HTML) plus counters kept in step.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Reply",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "thread",
                    fields.ForeignKeyField(
                        "community.Thread",
                        source_field="thread_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="replies",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("body_html", fields.TextField(unique=False)),
                ("status", fields.CharField(default="VISIBLE", max_length=10)),
                ("vote_count", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "community_reply",
                "app": "community",
                "pk_attr": "id",
                "table_description": "A reply in a thread.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Vote",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("target", fields.CharField(max_length=24)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "community_vote",
                "app": "community",
                "unique_together": (("user", "target"),),
                "pk_attr": "id",
                "table_description": 'One user\'s up-vote of one post. `target` is "T:<id>" or "R:<id>", unique per user.',
            },
            bases=["Model"],
        ),
    ]
