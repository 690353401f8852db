"""Content storage: videos, comments, the owner's comment settings, likes, daily counters and
reviewers' moderation decisions."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

VIDEO_STATUSES = ("PROCESSING", "PUBLISHED", "REMOVED", "DELETED")
VISIBILITIES = ("PUBLIC", "FRIENDS", "PRIVATE")
COMMENT_STATUSES = ("VISIBLE", "HIDDEN", "DELETED")
DECISION_KINDS = ("VIDEO_REMOVAL", "ACCOUNT_BAN")


class Video(Model):
    """An uploaded video. `status` is PROCESSING until the metadata job publishes it, REMOVED by a
    moderation decision, DELETED by its owner (restorable until `deleted_at` plus the restore window).
    The counters are running totals, the daily rows hold the same numbers per day."""

    id = fields.IntField(primary_key=True)
    owner = fields.ForeignKeyField("account.User", related_name="videos", on_delete=fields.CASCADE)
    owner_id: int
    title = fields.CharField(max_length=150)
    description = fields.TextField(default="")
    visibility = fields.CharField(max_length=10, default="PUBLIC")
    status = fields.CharField(max_length=12, default="PROCESSING", db_index=True)
    tags = fields.JSONField(default=list)
    file_key = fields.CharField(max_length=64)
    content_type = fields.CharField(max_length=40)
    size_bytes = fields.BigIntField(default=0)
    duration_seconds = fields.FloatField(null=True)
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    cover_key = fields.CharField(max_length=64, null=True)
    comments_enabled = fields.BooleanField(default=True)
    views = fields.BigIntField(default=0)
    likes = fields.BigIntField(default=0)
    comments = fields.BigIntField(default=0)
    shares = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)
    deleted_at = fields.DatetimeField(null=True)
    removed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "content_video"


class Comment(Model):
    """A comment on a video. `filtered` marks one hidden on arrival by the owner's keyword filter."""

    id = fields.IntField(primary_key=True)
    video = fields.ForeignKeyField("content.Video", related_name="comment_set", on_delete=fields.CASCADE)
    video_id: int
    author = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    author_id: int
    body = fields.TextField()
    status = fields.CharField(max_length=10, default="VISIBLE")
    pinned = fields.BooleanField(default=False)
    filtered = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "content_comment"


class CommentSettings(Model):
    """A creator's comment settings: the keywords that hide matching new comments on their videos."""

    id = fields.IntField(primary_key=True)
    user = fields.OneToOneField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    blocked_keywords = fields.JSONField(default=list)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "content_comment_settings"


class Like(Model):
    """One user's like of one video (a second like by the same user counts once)."""

    id = fields.IntField(primary_key=True)
    video = fields.ForeignKeyField("content.Video", related_name=False, on_delete=fields.CASCADE)
    video_id: int
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "content_like"
        unique_together = (("video", "user"),)


class VideoDayStat(Model):
    """Views, likes, comments and shares of one video on one UTC day."""

    id = fields.IntField(primary_key=True)
    video = fields.ForeignKeyField("content.Video", related_name=False, on_delete=fields.CASCADE)
    video_id: int
    day = fields.DateField()
    views = fields.BigIntField(default=0)
    likes = fields.BigIntField(default=0)
    comments = fields.BigIntField(default=0)
    shares = fields.BigIntField(default=0)

    class Meta:
        table = "content_video_day_stat"
        unique_together = (("video", "day"),)


class UserDayStat(Model):
    """Followers a creator gained and lost on one UTC day."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    day = fields.DateField()
    followers_gained = fields.IntField(default=0)
    followers_lost = fields.IntField(default=0)

    class Meta:
        table = "content_user_day_stat"
        unique_together = (("user", "day"),)


class Decision(Model):
    """A reviewer's moderation decision with the statement of reasons the user is shown (EU DSA
    Art. 17). `reversed_at` is set when an appeal overturns it, `ban_until` ends a temporary ban
    (`lifted_at` records when the expiry job lifted it)."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16)
    subject_user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    subject_user_id: int
    video = fields.ForeignKeyField("content.Video", related_name=False, null=True, on_delete=fields.SET_NULL)
    video_id: int | None
    reason = fields.CharField(max_length=32)
    statement = fields.TextField()
    reviewer = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reviewer_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    appealable_until = fields.DatetimeField()
    ban_until = fields.DatetimeField(null=True)
    lifted_at = fields.DatetimeField(null=True)
    reversed_at = fields.DatetimeField(null=True)
    reversed_by = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reversed_by_id: int | None
    reversal_note = fields.TextField(default="")

    class Meta:
        table = "content_decision"
