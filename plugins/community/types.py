"""GraphQL types of the community plugin."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from plugins.community import queries
from plugins.community.errors import CODES
from plugins.community.models import Board, Reply, Report, Thread
from plugins.community.service import can_see, is_moderator
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, Node, connection, to_global_id

if TYPE_CHECKING:
    from plugins.account.api import User


@strawberry.type(description="Why a forum operation failed.")
class CommunityError(PluginError, codes=CODES, plugin="community"):
    pass


community_error_handler = CommunityError.handler
UserRef = Annotated["User", strawberry.lazy("plugins.account.api")]


async def _user(info: Info, user_id: int):
    from plugins.account.api import load_user

    return await load_user(info.context, user_id)


@strawberry.enum(description="Who can see a post.")
class ForumPostStatus(enum.Enum):
    VISIBLE = "VISIBLE"
    HIDDEN = "HIDDEN"
    HELD = "HELD"


@strawberry.enum(description="Kind of board.")
class ForumBoardKind(enum.Enum):
    FEEDBACK = "FEEDBACK"
    SERVICE = "SERVICE"


@strawberry.type(description="A forum board: the feedback board or one per service area.")
class ForumBoard(Node):
    model: strawberry.Private[Board]
    slug: str = strawberry.field(description="Stable key, e.g. `feedback`, `account`, `payments`.")
    kind: ForumBoardKind = strawberry.field(description="FEEDBACK or SERVICE.")

    @strawberry.field(description="Name in the request's language.")
    def name(self, info: Info) -> str:
        return self.model.name_zh if info.context.language == "zh-CN" else self.model.name_en

    @strawberry.field(description="What belongs here, in the request's language.")
    def description(self, info: Info) -> str:
        return self.model.description_zh if info.context.language == "zh-CN" else self.model.description_en

    @strawberry.field(description="True when the viewer moderates this board.")
    def viewer_is_moderator(self, info: Info) -> bool:
        return is_moderator(info.context.actor, self.model)

    @classmethod
    def from_model(cls, board: Board) -> ForumBoard:
        return cls(
            id=to_global_id("ForumBoard", board.pk),
            model=board,
            slug=board.slug,
            kind=ForumBoardKind(board.kind),
        )


@strawberry.type(description="A reply in a thread.")
class ForumReply(Node):
    model: strawberry.Private[Reply]
    body: str = strawberry.field(description="Markdown source as written.")
    body_html: str = strawberry.field(description="Safe HTML rendering of the body (raw HTML escaped).")
    status: ForumPostStatus = strawberry.field(
        description="VISIBLE, HIDDEN (moderator) or HELD (for review)."
    )
    vote_count: int = strawberry.field(description="Up-votes.")
    created_at: datetime = strawberry.field(description="When it was posted.")

    @strawberry.field(description="Who wrote it.")
    async def author(self, info: Info) -> UserRef | None:
        return await _user(info, self.model.author_id)

    @strawberry.field(description="True when the viewer has voted for it.")
    async def viewer_has_voted(self, info: Info) -> bool:
        return await queries.has_voted(info.context, f"R:{self.model.pk}")

    @strawberry.field(description="The thread it answers.")
    async def thread(self, info: Info) -> ForumThread | None:
        thread = await queries.load_thread(info.context, self.model.thread_id)
        return ForumThread.from_model(thread) if thread else None

    @classmethod
    def from_model(cls, reply: Reply) -> ForumReply:
        return cls(
            id=to_global_id("ForumReply", reply.pk),
            model=reply,
            body=reply.body,
            body_html=reply.body_html,
            status=ForumPostStatus(reply.status),
            vote_count=reply.vote_count,
            created_at=reply.created_at,
        )


ForumReplyConnection = Connection[ForumReply]


@strawberry.type(description="A forum thread: its first post, counters and replies.")
class ForumThread(Node):
    model: strawberry.Private[Thread]
    title: str = strawberry.field(description="Title.")
    body: str = strawberry.field(description="Markdown source as written.")
    body_html: str = strawberry.field(description="Safe HTML rendering of the body (raw HTML escaped).")
    status: ForumPostStatus = strawberry.field(
        description="VISIBLE, HIDDEN (moderator) or HELD (for review)."
    )
    locked: bool = strawberry.field(description="Locked threads take no replies.")
    pinned: bool = strawberry.field(description="Pinned threads come first on their board.")
    vote_count: int = strawberry.field(description="Up-votes.")
    reply_count: int = strawberry.field(description="Visible replies.")
    last_activity_at: datetime = strawberry.field(description="Creation or latest visible reply.")
    created_at: datetime = strawberry.field(description="When it was posted.")

    @strawberry.field(description="Who started it.")
    async def author(self, info: Info) -> UserRef | None:
        return await _user(info, self.model.author_id)

    @strawberry.field(description="The board it is on.")
    async def board(self, info: Info) -> ForumBoard:
        return ForumBoard.from_model(await queries.board_of_post(info.context, self.model.board_id))

    @strawberry.field(description="The latest visible reply.")
    async def last_reply(self, info: Info) -> ForumReply | None:
        if self.model.last_reply_id is None:
            return None
        reply = await queries.load_reply(info.context, self.model.last_reply_id)
        return ForumReply.from_model(reply) if reply and reply.status == "VISIBLE" else None

    @strawberry.field(description="The reply the author or a moderator accepted as the answer.")
    async def accepted_answer(self, info: Info) -> ForumReply | None:
        if self.model.accepted_reply_id is None:
            return None
        reply = await queries.load_reply(info.context, self.model.accepted_reply_id)
        return ForumReply.from_model(reply) if reply and reply.status == "VISIBLE" else None

    @strawberry.field(description="True when the viewer has voted for it.")
    async def viewer_has_voted(self, info: Info) -> bool:
        return await queries.has_voted(info.context, f"T:{self.model.pk}")

    @strawberry.field(description="Replies in posting order (`first` default 20, at most 100).")
    async def replies(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> ForumReplyConnection:
        board = await queries.board_of_post(info.context, self.model.board_id)
        page = await queries.reply_page(info.context.actor, self.model, board, first, after)
        return connection(page, ForumReply.from_model)

    @classmethod
    def from_model(cls, thread: Thread) -> ForumThread:
        return cls(
            id=to_global_id("ForumThread", thread.pk),
            model=thread,
            title=thread.title,
            body=thread.body,
            body_html=thread.body_html,
            status=ForumPostStatus(thread.status),
            locked=thread.locked,
            pinned=thread.pinned,
            vote_count=thread.vote_count,
            reply_count=thread.reply_count,
            last_activity_at=thread.activity_at,
            created_at=thread.created_at,
        )


ForumThreadConnection = Connection[ForumThread]


@strawberry.type(description="A thread found by search, with a snippet.")
class ForumSearchHit:
    thread: ForumThread = strawberry.field(description="The thread.")
    score: float = strawberry.field(description="Relevance (higher is better).")
    snippet: str = strawberry.field(description="Matching text from the thread.")


@strawberry.type(description="A user's report of a post, waiting for a moderator.")
class ForumReport(Node):
    model: strawberry.Private[Report]
    reason: str = strawberry.field(
        description="SPAM, HARASSMENT, OFF_TOPIC, MISINFORMATION, INAPPROPRIATE or OTHER."
    )
    note: str = strawberry.field(description="The reporter's note.")
    created_at: datetime = strawberry.field(description="When it was reported.")

    @strawberry.field(description="Global id of the reported thread or reply.")
    def post_id(self) -> strawberry.ID:
        kind, pk = self.model.target.split(":")
        return to_global_id("ForumThread" if kind == "T" else "ForumReply", pk)

    @classmethod
    def from_model(cls, report: Report) -> ForumReport:
        return cls(
            id=to_global_id("ForumReport", report.pk),
            model=report,
            reason=report.reason,
            note=report.note,
            created_at=report.created_at,
        )


ForumReportConnection = Connection[ForumReport]


@strawberry.type(description="A vote was counted.")
class ForumVote:
    post_id: strawberry.ID = strawberry.field(description="The thread or reply voted for.")
    vote_count: int = strawberry.field(description="Its up-votes now.")


@strawberry.type(description="A report was filed; a moderator will look at it.")
class ForumReportFiled:
    report_id: strawberry.ID = strawberry.field(description="The report.")
    message: str = strawberry.field(description="What happens next, in the request's language.")


async def can_view_thread(thread: ForumThread, context) -> bool:
    """`node(id:)` rule: visible threads for all, hidden ones for the author and moderators."""
    board = await queries.board_of_post(context, thread.model.board_id)
    return can_see(context.actor, thread.model.status, thread.model.author_id, board)
