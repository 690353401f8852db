"""GraphQL operations of the content plugin: thin resolvers over the services."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload

from core import audit
from core.idempotency import create_once
from core.pagination import Page
from core.roles import Role
from plugins.content import comments, engagement, moderation, service
from plugins.content.types import (
    Comment,
    CommentAction,
    CommentFilter,
    ContentError,
    Decision,
    Video,
    ViolationReason,
    Visibility,
    video_columns,
    video_of,
    videos_of,
)
from schema.idempotency import DESCRIPTION
from schema.info import Info
from schema.permissions import requires
from schema.relay import Connection, connection, int_pk
from schema.selection import selected_names

VideoUploadResult = Annotated[Video | ContentError, strawberry.union("VideoUploadResult")]
VideoUpdateResult = Annotated[Video | ContentError, strawberry.union("VideoUpdateResult")]
VideoDeleteResult = Annotated[Video | ContentError, strawberry.union("VideoDeleteResult")]
VideoRestoreResult = Annotated[Video | ContentError, strawberry.union("VideoRestoreResult")]
CommentCreateResult = Annotated[Comment | ContentError, strawberry.union("CommentCreateResult")]
CommentModerateResult = Annotated[Comment | ContentError, strawberry.union("CommentModerateResult")]
CommentFilterUpdateResult = Annotated[
    CommentFilter | ContentError, strawberry.union("CommentFilterUpdateResult")
]
VideoLikeResult = Annotated[Video | ContentError, strawberry.union("VideoLikeResult")]
ModerationResult = Annotated[Decision | ContentError, strawberry.union("ModerationResult")]


@strawberry.input(description="A new video: the file (MP4, MOV or WebM) and how it is shown.")
class VideoUploadInput:
    title: str = strawberry.field(description="1 to 100 characters.")
    description: str | None = strawberry.field(default=None, description="Up to 2,000 characters.")
    visibility: Visibility = strawberry.field(description="Who may watch it.")
    tags: list[str] | None = strawberry.field(default=None, description="Up to 10 tags.")
    file: Upload = strawberry.field(description="The video file, checked by its content (not its name).")


@strawberry.input(description="Changes to a video; omitted fields stay as they are.")
class VideoUpdateInput:
    id: strawberry.ID = strawberry.field(description="The video.")
    title: str | None = strawberry.field(default=None, description="1 to 100 characters.")
    description: str | None = strawberry.field(default=None, description="Up to 2,000 characters.")
    tags: list[str] | None = strawberry.field(default=None, description="Up to 10 tags (replaces the list).")
    visibility: Visibility | None = strawberry.field(default=None, description="Who may watch it.")
    comments_enabled: bool | None = strawberry.field(default=None, description="False turns comments off.")
    cover: Upload | None = strawberry.field(default=None, description="A cover image (JPEG, PNG, GIF, WebP).")


@strawberry.input(description="Remove a video for a violation.")
class ModerationInput:
    video_id: strawberry.ID = strawberry.field(description="The video.")
    reason: ViolationReason = strawberry.field(description="The rule it breaks.")
    statement: str = strawberry.field(
        description="Statement of reasons shown to the user (10 to 5,000 chars)."
    )


@strawberry.input(description="Ban an account for a violation.")
class ModerationBanInput:
    user_id: strawberry.ID = strawberry.field(description="The account.")
    reason: ViolationReason = strawberry.field(description="The rule it breaks.")
    statement: str = strawberry.field(
        description="Statement of reasons shown to the user (10 to 5,000 chars)."
    )
    until: datetime | None = strawberry.field(
        default=None, description="End of a temporary ban; null: indefinite."
    )


def _uid(info: Info) -> int:
    return int(info.context.require_user().user_id)


async def _count(info: Info, kind: str, id: strawberry.ID) -> bool:
    actor = info.context.actor
    if actor is not None and actor.restricted:
        actor = None  # a restricted session counts like an anonymous visitor
    return await engagement.count(info.context.services, kind, int_pk(id, "Video"), actor, info.context.ip)


@strawberry.type
class ContentQuery:
    @strawberry.field(
        description="The signed-in user's videos, newest first (`deleted: true`: Recently deleted)."
    )
    async def my_videos(
        self, info: Info, first: int | None = None, after: str | None = None, deleted: bool = False
    ) -> Connection[Video]:
        columns = video_columns(selected_names(info))
        page = await service.my_videos(_uid(info), first, after, deleted=deleted, columns=columns)
        return connection(Page(videos_of(page.items, info.context), page.cursors, page.has_next))

    @strawberry.field(description="Moderation decisions about the signed-in user (also in restricted mode).")
    async def decisions(self, info: Info) -> list[Decision]:
        actor = info.context.require_user(allow_restricted=True)
        return [
            Decision.from_model(d, info.context) for d in await moderation.decisions_for(int(actor.user_id))
        ]

    @strawberry.field(description="The signed-in user's comment keyword filter.")
    async def comment_filter(self, info: Info) -> CommentFilter:
        return CommentFilter(keywords=await comments.keywords_of(_uid(info)))


@strawberry.type
class ContentMutation:
    @strawberry.mutation(
        description="Upload a video (multipart). It is PROCESSING until its metadata is read."
    )
    async def video_upload(self, info: Info, input: VideoUploadInput) -> VideoUploadResult:
        owner = _uid(info)
        video = await service.upload_video(
            info.context.services,
            owner,
            title=input.title,
            description=input.description,
            visibility=input.visibility.value,
            tags=input.tags,
            upload=input.file,
        )
        return video_of(video, info.context)

    @strawberry.mutation(
        description="Edit a video's title, description, cover, tags, visibility or comments switch."
    )
    async def video_update(self, info: Info, input: VideoUpdateInput) -> VideoUpdateResult:
        owner = _uid(info)
        video = await service.update_video(
            info.context.services,
            owner,
            int_pk(input.id, "Video", field="input.id"),
            title=input.title,
            description=input.description,
            tags=input.tags,
            visibility=input.visibility.value if input.visibility else None,
            comments_enabled=input.comments_enabled,
            cover=input.cover,
        )
        return video_of(video, info.context)

    @strawberry.mutation(description="Delete a video (restorable by its owner for 30 days).")
    async def video_delete(self, info: Info, id: strawberry.ID) -> VideoDeleteResult:
        owner = _uid(info)
        return video_of(await service.delete_video(owner, int_pk(id, "Video")), info.context)

    @strawberry.mutation(description="Restore a deleted video within the restore window.")
    async def video_restore(self, info: Info, id: strawberry.ID) -> VideoRestoreResult:
        owner = _uid(info)
        return video_of(
            await service.restore_video(info.context.services, owner, int_pk(id, "Video")), info.context
        )

    @strawberry.mutation(description="Count a view (anonymous allowed, once per viewer per 10 minutes).")
    async def video_view(self, info: Info, id: strawberry.ID) -> bool:
        return await _count(info, "view", id)

    @strawberry.mutation(description="Count a share (anonymous allowed, once per viewer per 10 minutes).")
    async def video_share(self, info: Info, id: strawberry.ID) -> bool:
        return await _count(info, "share", id)

    @strawberry.mutation(description="Like a video (once per user).")
    async def video_like(self, info: Info, id: strawberry.ID) -> VideoLikeResult:
        actor = info.context.require_user()
        return video_of(await engagement.like(actor, int_pk(id, "Video")), info.context)

    @strawberry.mutation(description="Comment on a video.")
    async def comment_create(
        self,
        info: Info,
        video_id: strawberry.ID,
        body: str,
        client_mutation_id: Annotated[str | None, strawberry.argument(description=DESCRIPTION)] = None,
    ) -> CommentCreateResult:
        actor = info.context.require_user()
        video_pk = int_pk(video_id, "Video", field="videoId")
        comment = await create_once(
            info.context, "commentCreate", client_mutation_id, {"videoId": video_pk, "body": body},
            lambda: comments.create_comment(info.context.services, actor, video_pk, body),
            lambda pk: comments.own_comment(actor, int(pk)),
            field="clientMutationId",
        )  # fmt: skip
        return Comment.from_model(comment)

    @strawberry.mutation(description="The video owner hides, deletes, pins or unpins a comment.")
    async def comment_moderate(
        self, info: Info, id: strawberry.ID, action: CommentAction
    ) -> CommentModerateResult:
        actor = info.context.require_user()
        return Comment.from_model(await comments.moderate_comment(actor, int_pk(id, "Comment"), action.value))

    @strawberry.mutation(
        description="Replace the keyword filter that hides matching new comments on your videos."
    )
    async def comment_filter_update(self, info: Info, keywords: list[str]) -> CommentFilterUpdateResult:
        owner = _uid(info)
        return CommentFilter(keywords=await comments.set_keywords(info.context.services, owner, keywords))

    @strawberry.mutation(
        description="Remove a video, with a decision the owner can appeal.",
        extensions=requires(Role.REVIEWER),
    )
    async def moderation_remove_video(self, info: Info, input: ModerationInput) -> ModerationResult:
        reviewer = info.context.require_user(allow_restricted=True)  # admitted by `requires`
        decision = await moderation.remove_video(
            info.context.services,
            int(reviewer.user_id),
            int_pk(input.video_id, "Video", field="input.videoId"),
            reason=input.reason.value,
            statement=input.statement,
            reviewer_roles=reviewer.roles,
        )
        await _audit_decision(info, reviewer, decision)
        return Decision.from_model(decision, info.context)

    @strawberry.mutation(
        description="Ban an account, with a decision the user can appeal.", extensions=requires(Role.REVIEWER)
    )
    async def moderation_ban_account(self, info: Info, input: ModerationBanInput) -> ModerationResult:
        reviewer = info.context.require_user(allow_restricted=True)  # admitted by `requires`
        decision = await moderation.ban_account(
            info.context.services,
            int(reviewer.user_id),
            int_pk(input.user_id, "User", field="input.userId"),
            reason=input.reason.value,
            statement=input.statement,
            until=input.until,
            reviewer_roles=reviewer.roles,
        )
        await _audit_decision(info, reviewer, decision)
        return Decision.from_model(decision, info.context)


async def _audit_decision(info: Info, reviewer: Any, decision: Any) -> None:
    """Moderation decisions act on someone else's data: audited."""
    await audit.record(
        info.context.services,
        actor=reviewer,
        action="moderation.decision_made",
        target_type="Decision",
        target_id=decision.id,
        reason=decision.statement,
        ip=info.context.ip,
        data={"kind": decision.kind, "reason": decision.reason},
    )
