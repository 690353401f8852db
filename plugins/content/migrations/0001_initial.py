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
            name="CommentSettings",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.OneToOneField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "blocked_keywords",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "content_comment_settings",
                "app": "content",
                "pk_attr": "id",
                "table_description": "A creator's comment settings: the keywords that hide matching new comments on their videos.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="UserDayStat",
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
                ("day", fields.DateField()),
                ("followers_gained", fields.IntField(default=0)),
                ("followers_lost", fields.IntField(default=0)),
            ],
            options={
                "table": "content_user_day_stat",
                "app": "content",
                "unique_together": (("user", "day"),),
                "pk_attr": "id",
                "table_description": "Followers a creator gained and lost on one UTC day.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Video",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="videos",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=150)),
                ("description", fields.TextField(default="", unique=False)),
                ("visibility", fields.CharField(default="PUBLIC", max_length=10)),
                ("status", fields.CharField(default="PROCESSING", db_index=True, max_length=12)),
                (
                    "tags",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("file_key", fields.CharField(max_length=64)),
                ("content_type", fields.CharField(max_length=40)),
                ("size_bytes", fields.BigIntField(default=0)),
                ("duration_seconds", fields.FloatField(null=True)),
                ("width", fields.IntField(null=True)),
                ("height", fields.IntField(null=True)),
                ("cover_key", fields.CharField(null=True, max_length=64)),
                ("comments_enabled", fields.BooleanField(default=True)),
                ("views", fields.BigIntField(default=0)),
                ("likes", fields.BigIntField(default=0)),
                ("comments", fields.BigIntField(default=0)),
                ("shares", fields.BigIntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("published_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("removed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "content_video",
                "app": "content",
                "pk_attr": "id",
                "table_description": "An uploaded video. `status` is PROCESSING until the metadata job publishes it, REMOVED by a",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Comment",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "video",
                    fields.ForeignKeyField(
                        "content.Video",
                        source_field="video_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="comment_set",
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
                ("status", fields.CharField(default="VISIBLE", max_length=10)),
                ("pinned", fields.BooleanField(default=False)),
                ("filtered", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "content_comment",
                "app": "content",
                "pk_attr": "id",
                "table_description": "A comment on a video. `filtered` marks one hidden on arrival by the owner's keyword filter.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Decision",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("kind", fields.CharField(max_length=16)),
                (
                    "subject_user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="subject_user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "video",
                    fields.ForeignKeyField(
                        "content.Video",
                        source_field="video_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("reason", fields.CharField(max_length=32)),
                ("statement", fields.TextField(unique=False)),
                (
                    "reviewer",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="reviewer_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("appealable_until", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ban_until", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("lifted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("reversed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "reversed_by",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="reversed_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("reversal_note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "content_decision",
                "app": "content",
                "pk_attr": "id",
                "table_description": "A reviewer's moderation decision with the statement of reasons the user is shown (EU DSA",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Like",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "video",
                    fields.ForeignKeyField(
                        "content.Video",
                        source_field="video_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
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
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "content_like",
                "app": "content",
                "unique_together": (("video", "user"),),
                "pk_attr": "id",
                "table_description": "One user's like of one video (a second like by the same user counts once).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="VideoDayStat",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "video",
                    fields.ForeignKeyField(
                        "content.Video",
                        source_field="video_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("day", fields.DateField()),
                ("views", fields.BigIntField(default=0)),
                ("likes", fields.BigIntField(default=0)),
                ("comments", fields.BigIntField(default=0)),
                ("shares", fields.BigIntField(default=0)),
            ],
            options={
                "table": "content_video_day_stat",
                "app": "content",
                "unique_together": (("video", "day"),),
                "pk_attr": "id",
                "table_description": "Views, likes, comments and shares of one video on one UTC day.",
            },
            bases=["Model"],
        ),
    ]
