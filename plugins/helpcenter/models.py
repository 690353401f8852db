"""Help center storage: categories, articles (one row per slug and locale) with their versions,
reader feedback and the log of searches that found nothing good."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class HelpCategory(Model):
    """A service area (account, content, appeals, features, payments, ads, platform, premium)."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=32, unique=True)
    name_en = fields.CharField(max_length=100)
    name_zh = fields.CharField(max_length=100)
    description_en = fields.CharField(max_length=300, default="")
    description_zh = fields.CharField(max_length=300, default="")
    position = fields.IntField(default=0)

    class Meta:
        table = "helpcenter_category"


class HelpArticle(Model):
    """The current state of an article in one locale. Every edit adds a HelpArticleVersion."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100)
    locale = fields.CharField(max_length=8)
    topic = fields.CharField(max_length=64, db_index=True)
    category = fields.ForeignKeyField("helpcenter.HelpCategory", related_name="articles")
    category_id: int
    title = fields.CharField(max_length=200)
    summary = fields.TextField(default="")
    body = fields.TextField()
    keywords = fields.JSONField(default=list)
    steps = fields.JSONField(default=list)
    media = fields.JSONField(default=list)
    actions = fields.JSONField(default=list)
    published = fields.BooleanField(default=False)
    version = fields.IntField(default=1)
    #: Hash of the shipped Markdown this row was last seeded from (empty once an admin edits it).
    source_hash = fields.CharField(max_length=64, default="")
    helpful_count = fields.IntField(default=0)
    unhelpful_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "helpcenter_article"
        unique_together = (("slug", "locale"),)


class HelpArticleVersion(Model):
    """A saved state of an article: what it said at version N and who wrote it."""

    id = fields.IntField(primary_key=True)
    article = fields.ForeignKeyField(
        "helpcenter.HelpArticle", related_name="versions", on_delete=fields.CASCADE
    )
    article_id: int
    version = fields.IntField()
    title = fields.CharField(max_length=200)
    summary = fields.TextField(default="")
    body = fields.TextField()
    keywords = fields.JSONField(default=list)
    steps = fields.JSONField(default=list)
    media = fields.JSONField(default=list)
    actions = fields.JSONField(default=list)
    editor = fields.ForeignKeyField("account.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    editor_id: int | None
    note = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "helpcenter_article_version"
        unique_together = (("article", "version"),)


class HelpFeedback(Model):
    """A reader's answer to "was this helpful?", with an optional comment."""

    id = fields.IntField(primary_key=True)
    article = fields.ForeignKeyField(
        "helpcenter.HelpArticle", related_name="feedback", on_delete=fields.CASCADE
    )
    article_id: int
    user = fields.ForeignKeyField("account.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    user_id: int | None
    helpful = fields.BooleanField()
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "helpcenter_feedback"


class HelpSearchMiss(Model):
    """Searches that found nothing good, counted per normalised query, language and UTC day (one
    row however often it is asked): shows where help content is missing."""

    id = fields.IntField(primary_key=True)
    query = fields.CharField(max_length=200)
    language = fields.CharField(max_length=8)
    best_score = fields.FloatField(default=0)
    #: The day the misses were counted on (null on rows written before misses were aggregated).
    day = fields.DateField(null=True)
    count = fields.IntField(default=1)
    #: The first miss of the day.
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "helpcenter_search_miss"
        unique_together = (("query", "language", "day"),)


class HelpMediaFile(Model):
    """An administrator's replacement of a shipped help media file (a real screenshot or video),
    kept in the storage backend; the shipped file stays as the fallback."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128, unique=True)
    key = fields.CharField(max_length=64)
    content_type = fields.CharField(max_length=40)
    size = fields.IntField()
    uploaded_by_id = fields.IntField(null=True)
    uploaded_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "helpcenter_media_file"
