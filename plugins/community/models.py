"""Forum storage: boards, threads, replies, votes, reports and the moderation log."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

#: Post states: VISIBLE to everyone, HIDDEN by a moderator, HELD by the keyword filter for review.
POST_STATUSES = ("VISIBLE", "HIDDEN", "HELD")


class Board(Model):
    """A forum board. `moderators` lists user ids who moderate this board besides staff."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=40, unique=True)
    kind = fields.CharField(max_length=12, default="SERVICE")
    name_en = fields.CharField(max_length=80)
    name_zh = fields.CharField(max_length=80)
    description_en = fields.CharField(max_length=300, default="")
    description_zh = fields.CharField(max_length=300, default="")
    position = fields.IntField(default=0)
    moderators = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community_board"


class Thread(Model):
    """A thread: its first post (Markdown source and rendered HTML) plus counters kept in step."""

    id = fields.IntField(primary_key=True)
    board = fields.ForeignKeyField("community.Board", related_name="threads", on_delete=fields.RESTRICT)
    board_id: int
    author = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    author_id: int
    title = fields.CharField(max_length=120)
    body = fields.TextField()
    body_html = fields.TextField()
    language = fields.CharField(max_length=8, default="en")
    status = fields.CharField(max_length=10, default="VISIBLE")
    locked = fields.BooleanField(default=False)
    pinned = fields.BooleanField(default=False)
    vote_count = fields.IntField(default=0)
    reply_count = fields.IntField(default=0)
    last_reply_id = fields.IntField(null=True)
    accepted_reply_id = fields.IntField(null=True)
    activity_at = fields.DatetimeField(db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community_thread"
        indexes = (("board_id", "pinned", "activity_at"),)


class Reply(Model):
    """A reply in a thread."""

    id = fields.IntField(primary_key=True)
    thread = fields.ForeignKeyField("community.Thread", related_name="replies", on_delete=fields.CASCADE)
    thread_id: int
    author = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    author_id: int
    body = fields.TextField()
    body_html = fields.TextField()
    status = fields.CharField(max_length=10, default="VISIBLE")
    vote_count = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community_reply"


class Vote(Model):
    """One user's up-vote of one post. `target` is "T:<id>" or "R:<id>", unique per user."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    target = fields.CharField(max_length=24)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community_vote"
        unique_together = (("user", "target"),)


class Report(Model):
    """A user's report of a post (one per user and post) awaiting a moderator."""

    id = fields.IntField(primary_key=True)
    reporter = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    reporter_id: int
    target = fields.CharField(max_length=24)
    board = fields.ForeignKeyField("community.Board", related_name=False, on_delete=fields.CASCADE)
    board_id: int
    reason = fields.CharField(max_length=20)
    note = fields.CharField(max_length=500, default="")
    resolved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community_report"
        unique_together = (("reporter", "target"),)


class ModerationAction(Model):
    """What a moderator did to a post, with the note (audit trail)."""

    id = fields.IntField(primary_key=True)
    moderator = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    moderator_id: int
    target = fields.CharField(max_length=24)
    action = fields.CharField(max_length=12)
    note = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "community_moderation"
