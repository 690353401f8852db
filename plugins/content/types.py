"""GraphQL types of the content plugin."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from core.context import RequestContext
from core.pagination import Page
from core.rows import Row, columns_for, reader
from plugins.content import comments as comment_service
from plugins.content import models
from plugins.content.errors import CODES
from plugins.content.service import VIDEO_COLUMNS, can_see, restorable_until
from plugins.content.settings import ContentSettings, content_settings
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, Node, connection, to_global_id

if TYPE_CHECKING:
    from plugins.account.api import User


@strawberry.type(description="Why a content or moderation operation failed.")
class ContentError(PluginError, codes=CODES, plugin="content"):
    pass


content_error_handler = ContentError.handler

UserRef = Annotated["User", strawberry.lazy("plugins.account.api")]  # noqa: F821


@strawberry.enum(description="Who may watch a video.")
class Visibility(enum.Enum):
    PUBLIC = "PUBLIC"
    FRIENDS = "FRIENDS"
    PRIVATE = "PRIVATE"


@strawberry.enum(description="Where a video is in its life.")
class VideoStatus(enum.Enum):
    PROCESSING = "PROCESSING"
    PUBLISHED = "PUBLISHED"
    REMOVED = "REMOVED"
    DELETED = "DELETED"


@strawberry.enum(description="What the video owner does to a comment.")
class CommentAction(enum.Enum):
    HIDE = "HIDE"
    DELETE = "DELETE"
    PIN = "PIN"
    UNPIN = "UNPIN"


@strawberry.enum(description="Whether a comment is shown.")
class CommentStatus(enum.Enum):
    VISIBLE = "VISIBLE"
    HIDDEN = "HIDDEN"
    DELETED = "DELETED"


@strawberry.enum(description="The rule a moderation decision applies.")
class ViolationReason(enum.Enum):
    SPAM = "SPAM"
    IMPERSONATION = "IMPERSONATION"
    HARASSMENT = "HARASSMENT"
    VIOLENCE = "VIOLENCE"
    ADULT_CONTENT = "ADULT_CONTENT"
    MISINFORMATION = "MISINFORMATION"
    COPYRIGHT = "COPYRIGHT"
    MINOR_SAFETY = "MINOR_SAFETY"
    OTHER = "OTHER"


@strawberry.type(description="Running totals of a video.")
class VideoCounts:
    views: int = strawberry.field(description="Views.")
    likes: int = strawberry.field(description="Likes (one per user).")
    comments: int = strawberry.field(description="Comments written.")
    shares: int = strawberry.field(description="Shares.")


@strawberry.type(description="A comment on a video.")
class Comment(Node):
    body: str = strawberry.field(description="The text.")
    status: CommentStatus = strawberry.field(
        description="VISIBLE, or HIDDEN by the owner or the keyword filter."
    )
    pinned: bool = strawberry.field(description="True for the video's pinned comment.")
    filtered: bool = strawberry.field(description="True when the owner's keyword filter hid it on arrival.")
    created_at: datetime = strawberry.field(description="When it was written.")
    model: strawberry.Private[models.Comment]

    @classmethod
    def from_model(cls, comment: models.Comment) -> Comment:
        return cls(
            id=to_global_id("Comment", comment.pk),
            body=comment.body,
            status=CommentStatus(comment.status),
            pinned=comment.pinned,
            filtered=comment.filtered,
            created_at=comment.created_at,
            model=comment,
        )

    @strawberry.field(description="Who wrote it.")
    async def author(self, info: Info) -> UserRef | None:
        from plugins.account.api import load_user

        return await load_user(info.context, self.model.author_id)


@strawberry.type(description="A video.")
class Video(Node):
    title: str = strawberry.field(description="Title, 1 to 100 characters.")
    status: VideoStatus = strawberry.field(description="PROCESSING, PUBLISHED, REMOVED or DELETED.")
    visibility: Visibility = strawberry.field(description="PUBLIC, FRIENDS or PRIVATE.")
    created_at: datetime = strawberry.field(description="When it was uploaded.")
    description: str = strawberry.field(description="Description, up to 2,000 characters.")
    tags: list[str] = strawberry.field(description="Up to 10 tags.")
    duration_seconds: float | None = strawberry.field(description="Length, read from the file.")
    width: int | None = strawberry.field(description="Frame width in pixels, once processed.")
    height: int | None = strawberry.field(description="Frame height in pixels, once processed.")
    size_bytes: int = strawberry.field(description="File size.")
    has_cover: bool = strawberry.field(description="True when the owner set a cover image.")
    comments_enabled: bool = strawberry.field(description="False when the owner turned comments off.")
    published_at: datetime | None = strawberry.field(description="When processing finished.")
    deleted_at: datetime | None = strawberry.field(description="When the owner deleted it (soft delete).")
    restorable_until: datetime | None = strawberry.field(
        description="Until when a deleted video can be restored."
    )
    counts: VideoCounts = strawberry.field(description="Views, likes, comments and shares.")
    #: The model, or a `Row` (the owner's list) with what `can_see` and the comments read.
    model: strawberry.Private[models.Video | Row]

    @classmethod
    def from_model(cls, video: models.Video | Row, settings: ContentSettings) -> Video:
        """The GraphQL video of a model or a `Row`. A row read with only the columns a document
        selects (`video_columns`) leaves the other fields None: nothing asks for them."""
        get = reader(video)
        status, visibility, tags, views = get("status"), get("visibility"), get("tags"), get("views")
        deleted_at = get("deleted_at")
        return cls(
            id=to_global_id("Video", video.pk),
            title=get("title"),
            # The enums' own value -> member maps: a dict lookup instead of an `Enum(...)` call per row.
            status=VideoStatus._value2member_map_[status] if status is not None else None,  # type: ignore[arg-type]
            visibility=Visibility._value2member_map_[visibility] if visibility is not None else None,  # type: ignore[arg-type]
            created_at=get("created_at"),
            description=get("description"),
            tags=list(tags or []),
            duration_seconds=get("duration_seconds"),
            width=get("width"),
            height=get("height"),
            size_bytes=get("size_bytes"),
            has_cover=get("cover_key") is not None,
            comments_enabled=get("comments_enabled"),
            published_at=get("published_at"),
            deleted_at=deleted_at,
            restorable_until=restorable_until(deleted_at, settings) if deleted_at else None,
            counts=VideoCounts(  # type: ignore[arg-type]
                views=views, likes=get("likes"), comments=get("comments"), shares=get("shares")
            )
            if views is not None
            else None,
            model=video,
        )

    @strawberry.field(description="Comments, the pinned one first (the owner also sees hidden ones).")
    async def comments(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Comment]:
        actor = info.context.actor
        if not can_see(self.model, actor):
            return connection(Page([], [], False))
        page = await comment_service.video_comments(self.model, actor, first, after)
        return connection(page, Comment.from_model)


def video_of(video: models.Video, context: RequestContext) -> Video:
    """The GraphQL video for a model, with the process's settings."""
    return Video.from_model(video, content_settings(context.services))


#: The columns each `Video` field reads: the owner's list reads only those its document selects.
VIDEO_FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (), "title": ("title",), "status": ("status",), "visibility": ("visibility",),
    "createdAt": ("created_at",), "description": ("description",), "tags": ("tags",),
    "durationSeconds": ("duration_seconds",), "width": ("width",), "height": ("height",),
    "sizeBytes": ("size_bytes",), "hasCover": ("cover_key",), "commentsEnabled": ("comments_enabled",),
    "publishedAt": ("published_at",), "deletedAt": ("deleted_at",),
    "restorableUntil": ("deleted_at",), "counts": ("views", "likes", "comments", "shares"),
    # `can_see` and the comment list read these of the video.
    "comments": ("owner_id", "status", "visibility"),
}  # fmt: skip


def video_columns(selected: frozenset[str]) -> tuple[str, ...]:
    """The columns (besides `id`) a page of videos needs for the field names in `selected`
    (`schema.selection.selected_names`: every name below the list, so never too few)."""
    return columns_for(selected, VIDEO_FIELD_COLUMNS, VIDEO_COLUMNS)


def videos_of(videos: Sequence[models.Video | Row], context: RequestContext) -> list[Video]:
    """`video_of` for a list (the settings looked up once)."""
    settings = content_settings(context.services)
    return [Video.from_model(video, settings) for video in videos]


@strawberry.type(description="A moderation decision with its statement of reasons.")
class Decision(Node):
    kind: str = strawberry.field(description="VIDEO_REMOVAL or ACCOUNT_BAN.")
    reason: str = strawberry.field(description="The violation reason code (ViolationReason).")
    reason_text: str = strawberry.field(description="The reason in words, in the request's language.")
    statement: str = strawberry.field(description="The statement of reasons the reviewer wrote.")
    subject_id: strawberry.ID = strawberry.field(
        description="What the decision acts on: the Video for a removal, the User for a ban."
    )
    created_at: datetime = strawberry.field(description="When it was decided.")
    appealable_until: datetime = strawberry.field(description="Last moment to appeal.")
    ban_until: datetime | None = strawberry.field(description="End of a temporary ban (null: indefinite).")
    reversed: bool = strawberry.field(description="True when an appeal overturned it.")
    reversed_at: datetime | None = strawberry.field(description="When it was reversed.")
    reversal_note: str = strawberry.field(description="Why it was reversed (the appeal reviewer's note).")
    model: strawberry.Private[models.Decision | Row]

    @strawberry.field(description="The reviewer who made it: staff only (null for the user).")
    async def reviewer(self, info: Info) -> UserRef | None:
        from plugins.account.api import load_user

        actor = info.context.actor
        if actor is None or actor.restricted or not actor.is_staff:
            return None
        return await load_user(info.context, self.model.reviewer_id)

    @strawberry.field(description="The staff member who reversed it: staff only (null for the user).")
    async def reversed_by(self, info: Info) -> UserRef | None:
        from plugins.account.api import load_user

        actor = info.context.actor
        if actor is None or actor.restricted or not actor.is_staff:
            return None
        return await load_user(info.context, self.model.reversed_by_id)

    @classmethod
    def from_model(cls, decision: models.Decision | Row, context: object) -> Decision:
        if decision.kind == "VIDEO_REMOVAL" and decision.video_id is not None:
            subject = to_global_id("Video", decision.video_id)
        else:
            subject = to_global_id("User", decision.subject_user_id)
        return cls(
            id=to_global_id("Decision", decision.pk),
            kind=decision.kind,
            reason=decision.reason,
            reason_text=context.message(  # type: ignore[attr-defined]
                f"content.reason.{decision.reason}"
            ),
            statement=decision.statement,
            subject_id=subject,
            created_at=decision.created_at,
            appealable_until=decision.appealable_until,
            ban_until=decision.ban_until,
            reversed=decision.reversed_at is not None,
            reversed_at=decision.reversed_at,
            reversal_note=decision.reversal_note,
            model=decision,
        )


@strawberry.type(description="The owner's comment keyword filter.")
class CommentFilter:
    keywords: list[str] = strawberry.field(description="New comments containing any of these are hidden.")
