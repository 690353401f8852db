"""Forum business logic: threads, replies, votes and reports (no GraphQL here).

Moderation and accepted answers live in `moderation.py`; reads in `queries.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core.context import Actor, Services
from core.errors import DomainError, NotFound
from core.roles import Role
from plugins.community import markdown, rules
from plugins.community.boards import board_by_slug
from plugins.community.models import Board, Reply, Report, Thread, Vote
from schema.relay import from_global_id

REPORT_REASONS = ("SPAM", "HARASSMENT", "OFF_TOPIC", "MISINFORMATION", "INAPPROPRIATE", "OTHER")
POST_TYPES = {"ForumThread": "T", "ForumReply": "R"}


def _now() -> datetime:
    return datetime.now(UTC)


def is_moderator(actor: Actor | None, board: Board) -> bool:
    """Staff reviewers/admins moderate every board; others only boards that list them."""
    if actor is None:
        return False
    return actor.has_role(Role.REVIEWER) or actor.user_id in {str(uid) for uid in board.moderators or []}


def can_see(actor: Actor | None, status: str, author_id: int, board: Board) -> bool:
    """Visible posts for all; hidden or held ones for their author and the board's moderators."""
    if status == "VISIBLE":
        return True
    return actor is not None and (actor.user_id == str(author_id) or is_moderator(actor, board))


def parse_post(global_id: str, field: str) -> tuple[str, int]:
    """("T", pk) for a thread id or ("R", pk) for a reply id."""
    type_name, pk = from_global_id(global_id, field=field)
    if type_name not in POST_TYPES or not pk.isdigit():
        raise DomainError("INVALID_INPUT", field=field, detail="not a forum post id")
    return POST_TYPES[type_name], int(pk)


async def load_post(actor: Actor | None, kind: str, pk: int, field: str) -> tuple[Any, Thread]:
    """The post and its thread (board prefetched); NOT_FOUND when absent or not visible."""
    if kind == "T":
        thread = await Thread.get_or_none(id=pk).select_related("board")
        post = thread
    else:
        post = await Reply.get_or_none(id=pk).select_related("thread__board")
        thread = post.thread if post else None
    if post is None or thread is None:
        raise NotFound(field=field)
    board = thread.board
    if not can_see(actor, thread.status, thread.author_id, board) or not can_see(
        actor, post.status, post.author_id, board
    ):
        raise NotFound(field=field)
    return post, thread


async def create_thread(services: Services, actor: Actor, *, board: str, title: str, body: str) -> Thread:
    """Post a new thread; the keyword filter holds it for review instead of refusing it."""
    title = rules.clean_title(title)
    body = rules.clean_text(body, field="input.body", limit=rules.THREAD_BODY_MAX)
    target = await board_by_slug((board or "").strip().lower())
    if target is None:
        raise DomainError("UNKNOWN_BOARD", field="input.board", board=board)
    await rules.check_post_rate(services, actor.user_id)
    thread = await Thread.create(
        board=target,
        author_id=int(actor.user_id),
        title=title,
        body=body,
        body_html=markdown.render(body),
        language=rules.guess_language(f"{title} {body}"),
        status="HELD" if rules.matches_filter(title, body) else "VISIBLE",
        activity_at=_now(),
    )
    await bump_search_version(services)
    return thread


async def create_reply(services: Services, actor: Actor, *, thread_id: str, body: str) -> Reply:
    """Reply in a visible, unlocked thread; counters and last reply move in the same transaction."""
    _, pk = parse_post(thread_id, "input.threadId")
    body = rules.clean_text(body, field="input.body", limit=rules.REPLY_BODY_MAX)
    thread, _ = await load_post(actor, "T", pk, "input.threadId")
    if thread.locked:
        raise DomainError("THREAD_LOCKED", field="input.threadId")
    await rules.check_post_rate(services, actor.user_id)
    status = "HELD" if rules.matches_filter(body) else "VISIBLE"
    async with in_transaction():
        reply = await Reply.create(
            thread_id=thread.pk,
            author_id=int(actor.user_id),
            body=body,
            body_html=markdown.render(body),
            status=status,
        )
        if status == "VISIBLE":
            await Thread.filter(id=thread.pk).update(
                reply_count=F("reply_count") + 1, last_reply_id=reply.pk, activity_at=reply.created_at
            )
    reply.thread = thread
    return reply


async def own_thread(actor: Actor, thread_id: int) -> Thread:
    """A thread the actor started (a retried `forumThreadCreate` returns it again)."""
    thread = await Thread.get_or_none(id=thread_id, author_id=int(actor.user_id)).prefetch_related("board")
    if thread is None:
        raise NotFound(field="input.board")
    return thread


async def own_reply(actor: Actor, reply_id: int) -> Reply:
    """A reply the actor wrote (a retried `forumReplyCreate` returns it again)."""
    reply = await Reply.get_or_none(id=reply_id, author_id=int(actor.user_id)).prefetch_related("thread")
    if reply is None:
        raise NotFound(field="input.threadId")
    return reply


async def vote(services: Services, actor: Actor, post_id: str) -> tuple[str, Any]:
    """Up-vote a post once. Voting twice is ALREADY_VOTED, one's own post CANNOT_VOTE_OWN_POST."""
    kind, pk = parse_post(post_id, "input.postId")
    post, _ = await load_post(actor, kind, pk, "input.postId")
    if str(post.author_id) == actor.user_id:
        raise DomainError("CANNOT_VOTE_OWN_POST", field="input.postId")
    model = Thread if kind == "T" else Reply
    try:
        async with in_transaction():
            await Vote.create(user_id=int(actor.user_id), target=f"{kind}:{pk}")
            await model.filter(id=pk).update(vote_count=F("vote_count") + 1)
    except IntegrityError:
        raise DomainError("ALREADY_VOTED", field="input.postId") from None
    await post.refresh_from_db(fields=["vote_count"])
    return kind, post


async def report(services: Services, actor: Actor, *, post_id: str, reason: str, note: str | None) -> Report:
    """Report someone else's post once; enough distinct reports hold it for review."""
    kind, pk = parse_post(post_id, "input.postId")
    if reason not in REPORT_REASONS:
        raise DomainError("INVALID_INPUT", field="input.reason", detail="unknown reason")
    note = (note or "").strip()
    if len(note) > rules.REPORT_NOTE_MAX:
        raise DomainError("POST_TOO_LONG", field="input.note", limit=rules.REPORT_NOTE_MAX)
    post, thread = await load_post(actor, kind, pk, "input.postId")
    if str(post.author_id) == actor.user_id:
        raise DomainError("CANNOT_REPORT_OWN_POST", field="input.postId")
    target = f"{kind}:{pk}"
    try:
        async with in_transaction():
            created = await Report.create(
                reporter_id=int(actor.user_id),
                target=target,
                board_id=thread.board_id,
                reason=reason,
                note=note,
            )
    except IntegrityError:
        raise DomainError("ALREADY_REPORTED", field="input.postId") from None
    open_reports = await Report.filter(target=target, resolved_at__isnull=True).count()
    if open_reports >= rules.REPORTS_TO_HOLD and post.status == "VISIBLE":
        from plugins.community.moderation import set_post_status

        await set_post_status(kind, post, thread, "HELD")
    return created


SEARCH_VERSION_KEY = "community:search:version"


async def bump_search_version(services: Services) -> None:
    """Tell every process its cached thread search index is stale."""
    await services.redis.incr(SEARCH_VERSION_KEY)
