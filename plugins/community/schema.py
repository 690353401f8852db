"""GraphQL operations of the community plugin: thin resolvers over the services."""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry

from core.idempotency import create_once
from core.roles import Role
from plugins.community import moderation, queries, search, service
from plugins.community.boards import ensure_default_boards
from plugins.community.types import (
    CommunityError,
    ForumBoard,
    ForumReply,
    ForumReport,
    ForumReportConnection,
    ForumReportFiled,
    ForumSearchHit,
    ForumThread,
    ForumThreadConnection,
    ForumVote,
    can_view_thread,
)
from schema.idempotency import client_mutation_id, input_payload
from schema.info import Info
from schema.permissions import requires
from schema.relay import connection, int_pk, to_global_id

ForumThreadCreateResult = Annotated[ForumThread | CommunityError, strawberry.union("ForumThreadCreateResult")]
ForumReplyCreateResult = Annotated[ForumReply | CommunityError, strawberry.union("ForumReplyCreateResult")]
ForumPostVoteResult = Annotated[ForumVote | CommunityError, strawberry.union("ForumPostVoteResult")]
ForumPostReportResult = Annotated[
    ForumReportFiled | CommunityError, strawberry.union("ForumPostReportResult")
]
ForumAnswerAcceptResult = Annotated[ForumThread | CommunityError, strawberry.union("ForumAnswerAcceptResult")]
ForumPostModerateResult = Annotated[
    ForumThread | ForumReply | CommunityError, strawberry.union("ForumPostModerateResult")
]
ForumBoardModeratorsSetResult = Annotated[
    ForumBoard | CommunityError, strawberry.union("ForumBoardModeratorsSetResult")
]


@strawberry.enum(description="Why a post is reported.")
class ForumReportReason(enum.Enum):
    SPAM = "SPAM"
    HARASSMENT = "HARASSMENT"
    OFF_TOPIC = "OFF_TOPIC"
    MISINFORMATION = "MISINFORMATION"
    INAPPROPRIATE = "INAPPROPRIATE"
    OTHER = "OTHER"


@strawberry.enum(description="A moderator action. LOCK, PIN and MOVE apply to threads only.")
class ForumModerationAction(enum.Enum):
    HIDE = "HIDE"
    UNHIDE = "UNHIDE"
    LOCK = "LOCK"
    UNLOCK = "UNLOCK"
    PIN = "PIN"
    UNPIN = "UNPIN"
    MOVE = "MOVE"


@strawberry.input(description="A new thread on a board.")
class ForumThreadCreateInput:
    board: str = strawberry.field(description="Board slug, e.g. `feedback` or `payments`.")
    title: str = strawberry.field(description="1 to 120 characters.")
    body: str = strawberry.field(description="Markdown, 1 to 10,000 characters.")
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="A reply in a thread.")
class ForumReplyCreateInput:
    thread_id: strawberry.ID = strawberry.field(description="The thread.")
    body: str = strawberry.field(description="Markdown, 1 to 5,000 characters.")
    client_mutation_id: str | None = client_mutation_id()


@strawberry.input(description="An up-vote for a thread or reply (once per user).")
class ForumPostVoteInput:
    post_id: strawberry.ID = strawberry.field(description="A ForumThread or ForumReply id.")


@strawberry.input(description="A report of someone else's post.")
class ForumPostReportInput:
    post_id: strawberry.ID = strawberry.field(description="A ForumThread or ForumReply id.")
    reason: ForumReportReason = strawberry.field(description="Why.")
    note: str | None = strawberry.field(default=None, description="Details, at most 500 characters.")


@strawberry.input(description="Accept a reply as its thread's answer.")
class ForumAnswerAcceptInput:
    reply_id: strawberry.ID = strawberry.field(description="The reply.")


@strawberry.input(description="A moderator action on a post.")
class ForumPostModerateInput:
    post_id: strawberry.ID = strawberry.field(description="A ForumThread or ForumReply id.")
    action: ForumModerationAction = strawberry.field(description="What to do.")
    board: str | None = strawberry.field(default=None, description="Target board slug for MOVE.")
    note: str | None = strawberry.field(default=None, description="Why (kept in the moderation log).")


@strawberry.input(description="Set who moderates a board (admins).")
class ForumBoardModeratorsSetInput:
    board: str = strawberry.field(description="Board slug.")
    user_ids: list[strawberry.ID] = strawberry.field(description="User ids; replaces the list.")


@strawberry.type
class CommunityQuery:
    @strawberry.field(description="Every forum board: the feedback board and one per service area.")
    async def forum_boards(self) -> list[ForumBoard]:
        return [ForumBoard.from_model(b) for b in await ensure_default_boards()]

    @strawberry.field(
        description="Threads of a board (pinned first, then latest activity), or of all boards."
    )
    async def forum_threads(
        self,
        info: Info,
        board: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ForumThreadConnection:
        page = await queries.thread_page(info.context.actor, board, first, after)
        return connection(page, ForumThread.from_model)

    @strawberry.field(description="One thread, or null when absent or not visible to you.")
    async def forum_thread(self, info: Info, id: strawberry.ID) -> ForumThread | None:
        thread = await queries.load_thread(info.context, int_pk(id, "ForumThread"))
        if thread is None:
            return None
        result = ForumThread.from_model(thread)
        return result if await can_view_thread(result, info.context) else None

    @strawberry.field(description="Search visible threads (the help center's search engine).")
    async def forum_search(self, info: Info, query: str, first: int = 10) -> list[ForumSearchHit]:
        hits = await search.search_threads(
            info.context.services, query, info.context.language, max(1, min(first, 50))
        )
        threads = await queries.threads_by_ids([h.thread_id for h in hits])
        return [
            ForumSearchHit(thread=ForumThread.from_model(t), score=h.score, snippet=h.snippet)
            for h, t in zip(hits, threads, strict=True)
            if t is not None and t.status == "VISIBLE"
        ]

    @strawberry.field(description="Open reports on boards you moderate, newest first (moderators).")
    async def forum_reports(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> ForumReportConnection:
        actor = info.context.require_user()
        return connection(await queries.report_page(actor, first, after), ForumReport.from_model)


@strawberry.type
class CommunityMutation:
    @strawberry.mutation(
        description="Start a thread. Posts matching the keyword filter wait for review (HELD)."
    )
    async def forum_thread_create(self, info: Info, input: ForumThreadCreateInput) -> ForumThreadCreateResult:
        actor = info.context.require_user()
        thread = await create_once(
            info.context, "forumThreadCreate", input.client_mutation_id, input_payload(input),
            lambda: service.create_thread(
                info.context.services, actor, board=input.board, title=input.title, body=input.body
            ),
            lambda pk: service.own_thread(actor, int(pk)),
        )  # fmt: skip
        return ForumThread.from_model(thread)

    @strawberry.mutation(description="Reply in a thread (not when it is locked).")
    async def forum_reply_create(self, info: Info, input: ForumReplyCreateInput) -> ForumReplyCreateResult:
        actor = info.context.require_user()
        reply = await create_once(
            info.context, "forumReplyCreate", input.client_mutation_id, input_payload(input),
            lambda: service.create_reply(info.context.services, actor, thread_id=input.thread_id, body=input.body),
            lambda pk: service.own_reply(actor, int(pk)),
        )  # fmt: skip
        return ForumReply.from_model(reply)

    @strawberry.mutation(description="Up-vote a thread or reply, once per user.")
    async def forum_post_vote(self, info: Info, input: ForumPostVoteInput) -> ForumPostVoteResult:
        actor = info.context.require_user()
        kind, post = await service.vote(info.context.services, actor, input.post_id)
        type_name = "ForumThread" if kind == "T" else "ForumReply"
        return ForumVote(post_id=to_global_id(type_name, post.pk), vote_count=post.vote_count)

    @strawberry.mutation(description="Report someone else's post to the moderators (once per post).")
    async def forum_post_report(self, info: Info, input: ForumPostReportInput) -> ForumPostReportResult:
        actor = info.context.require_user()
        filed = await service.report(
            info.context.services, actor, post_id=input.post_id, reason=input.reason.value, note=input.note
        )
        return ForumReportFiled(
            report_id=to_global_id("ForumReport", filed.pk),
            message=info.context.message("COMMUNITY_REPORT_FILED"),
        )

    @strawberry.mutation(description="Accept a reply as the answer (the thread's author or a moderator).")
    async def forum_answer_accept(self, info: Info, input: ForumAnswerAcceptInput) -> ForumAnswerAcceptResult:
        actor = info.context.require_user()
        return ForumThread.from_model(
            await moderation.accept_answer(info.context.services, actor, input.reply_id)
        )

    @strawberry.mutation(description="Hide, unhide, lock, pin or move a post (board moderators and staff).")
    async def forum_post_moderate(self, info: Info, input: ForumPostModerateInput) -> ForumPostModerateResult:
        actor = info.context.require_user()
        kind, post = await moderation.moderate(
            info.context.services,
            actor,
            post_id=input.post_id,
            action=input.action.value,
            board=input.board,
            note=input.note,
        )
        return ForumThread.from_model(post) if kind == "T" else ForumReply.from_model(post)

    @strawberry.mutation(
        description="Replace a board's moderator list (admins).", extensions=requires(Role.ADMIN)
    )
    async def forum_board_moderators_set(
        self, info: Info, input: ForumBoardModeratorsSetInput
    ) -> ForumBoardModeratorsSetResult:
        actor = info.context.require_user()
        ids = [int_pk(uid, "User", field="input.userIds") for uid in input.user_ids]
        return ForumBoard.from_model(
            await moderation.set_board_moderators(actor, board=input.board, user_ids=ids)
        )
