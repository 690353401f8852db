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
            name="HelpCategory",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("key", fields.CharField(unique=True, max_length=32)),
                ("name_en", fields.CharField(max_length=100)),
                ("name_zh", fields.CharField(max_length=100)),
                ("description_en", fields.CharField(default="", max_length=300)),
                ("description_zh", fields.CharField(default="", max_length=300)),
                ("position", fields.IntField(default=0)),
            ],
            options={
                "table": "helpcenter_category",
                "app": "helpcenter",
                "pk_attr": "id",
                "table_description": "A service area (account, content, appeals, features, payments, ads, platform, premium).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HelpArticle",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("slug", fields.CharField(max_length=100)),
                ("locale", fields.CharField(max_length=8)),
                ("topic", fields.CharField(db_index=True, max_length=64)),
                (
                    "category",
                    fields.ForeignKeyField(
                        "helpcenter.HelpCategory",
                        source_field="category_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="articles",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("summary", fields.TextField(default="", unique=False)),
                ("body", fields.TextField(unique=False)),
                (
                    "keywords",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "steps",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "media",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "actions",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("published", fields.BooleanField(default=False)),
                ("version", fields.IntField(default=1)),
                (
                    "source_hash",
                    fields.CharField(
                        default="",
                        description="Hash of the shipped Markdown this row was last seeded from (empty once an admin edits it).",
                        max_length=64,
                    ),
                ),
                ("helpful_count", fields.IntField(default=0)),
                ("unhelpful_count", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "helpcenter_article",
                "app": "helpcenter",
                "unique_together": (("slug", "locale"),),
                "pk_attr": "id",
                "table_description": "The current state of an article in one locale. Every edit adds a HelpArticleVersion.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HelpArticleVersion",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "article",
                    fields.ForeignKeyField(
                        "helpcenter.HelpArticle",
                        source_field="article_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="versions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("version", fields.IntField()),
                ("title", fields.CharField(max_length=200)),
                ("summary", fields.TextField(default="", unique=False)),
                ("body", fields.TextField(unique=False)),
                (
                    "keywords",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "steps",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "media",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "actions",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "editor",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="editor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=300)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "helpcenter_article_version",
                "app": "helpcenter",
                "unique_together": (("article", "version"),),
                "pk_attr": "id",
                "table_description": "A saved state of an article: what it said at version N and who wrote it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HelpFeedback",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "article",
                    fields.ForeignKeyField(
                        "helpcenter.HelpArticle",
                        source_field="article_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="feedback",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
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
                ("helpful", fields.BooleanField()),
                ("comment", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "helpcenter_feedback",
                "app": "helpcenter",
                "pk_attr": "id",
                "table_description": 'A reader\'s answer to "was this helpful?", with an optional comment.',
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="HelpSearchMiss",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("query", fields.CharField(max_length=200)),
                ("language", fields.CharField(max_length=8)),
                ("best_score", fields.FloatField(default=0)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "helpcenter_search_miss",
                "app": "helpcenter",
                "pk_attr": "id",
                "table_description": "A search that found nothing good: shows where help content is missing.",
            },
            bases=["Model"],
        ),
    ]
