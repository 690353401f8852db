"""Reads: thread and reply pages, report queue, and the batched loads list fields use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.expressions import Q

from core.context import Actor
from core.errors import DomainError, Forbidden, NotFound
from core.pagination import Page, page_by_key, page_by_offset
from core.roles import Role
from plugins.community.boards import board_by_slug, ensure_default_boards
from plugins.community.models import Board, Reply, Report, Thread, Vote
from plugins.community.service import is_moderator


def _visible_to(actor: Actor | None, prefix: str = "") -> Q:
    """Visible posts, plus the actor's own hidden or held ones."""
    visible: dict[str, Any] = {f"{prefix}status": "VISIBLE"}
    condition = Q(**visible)
    if actor is not None:
        own: dict[str, Any] = {f"{prefix}author_id": int(actor.user_id)}
        condition |= Q(**own)
    return condition


async def thread_page(actor: Actor | None, board: str | None, first: int | None, after: str | None) -> Page:
    """Threads of one board (or all boards), pinned first then by latest activity."""
    query = Thread.all()
    moderator = False
    if board:
        target = await board_by_slug(board.strip().lower())
        if target is None:
            raise DomainError("UNKNOWN_BOARD", field="board", board=board)
        query = query.filter(board_id=target.pk)
        moderator = is_moderator(actor, target)
    elif actor is not None and actor.has_role(Role.REVIEWER):
        moderator = True
    if not moderator:
        query = query.filter(_visible_to(actor))
    ordered = (
        query.order_by("-pinned", "-activity_at", "-id") if board else query.order_by("-activity_at", "-id")
    )
    return await page_by_offset(ordered, first, after)


async def reply_page(
    actor: Actor | None, thread: Thread, board: Board, first: int | None, after: str | None
) -> Page:
    """Replies of a thread in posting order; hidden ones only for their author and moderators."""
    query = Reply.filter(thread_id=thread.pk)
    if not is_moderator(actor, board):
        query = query.filter(_visible_to(actor))
    return await page_by_key(query, first, after, descending=False)


async def report_page(actor: Actor, first: int | None, after: str | None) -> Page:
    """Open reports on boards the actor moderates (staff: all), newest first."""
    query = Report.filter(resolved_at__isnull=True)
    if not actor.has_role(Role.REVIEWER):
        boards = [b.pk for b in await ensure_default_boards() if is_moderator(actor, b)]
        if not boards:
            raise Forbidden()
        query = query.filter(board_id__in=boards)
    return await page_by_key(query, first, after)


async def _by_ids(model: Any, ids: Sequence[int]) -> list[Any]:
    found = {row.pk: row for row in await model.filter(id__in=list(set(ids)))}
    return [found.get(i) for i in ids]


async def boards_by_ids(ids: Sequence[int]) -> list[Board | None]:
    """Boards in the order of `ids`: one query."""
    return await _by_ids(Board, ids)


async def threads_by_ids(ids: Sequence[int]) -> list[Thread | None]:
    """Threads in the order of `ids`: one query."""
    return await _by_ids(Thread, ids)


async def replies_by_ids(ids: Sequence[int]) -> list[Reply | None]:
    """Replies in the order of `ids`: one query."""
    return await _by_ids(Reply, ids)


async def voted_targets(user_id: str, targets: Sequence[str]) -> list[bool]:
    """Whether the user voted for each target ("T:1", "R:2"): one query."""
    voted = set(
        await Vote.filter(user_id=int(user_id), target__in=list(set(targets))).values_list(
            "target", flat=True
        )
    )
    return [target in voted for target in targets]


async def load_board(context: Any, board_id: int) -> Board | None:
    """A board through the request's DataLoader."""
    return await context.loader("community.boards", boards_by_ids).load(board_id)


async def board_of_post(context: Any, board_id: int) -> Board:
    """The board a thread or reply is on (a foreign key: it exists unless deleted just now)."""
    board = await load_board(context, board_id)
    if board is None:
        raise NotFound()
    return board


async def load_reply(context: Any, reply_id: int) -> Reply | None:
    """A reply through the request's DataLoader."""
    return await context.loader("community.replies", replies_by_ids).load(reply_id)


async def load_thread(context: Any, thread_id: int) -> Thread | None:
    """A thread through the request's DataLoader."""
    return await context.loader("community.threads", threads_by_ids).load(thread_id)


async def has_voted(context: Any, target: str) -> bool:
    """Whether the request's actor voted for `target` (batched; False when anonymous)."""
    actor = context.actor
    if actor is None:
        return False

    async def batch(targets: Sequence[str]) -> list[bool]:
        return await voted_targets(actor.user_id, targets)

    return await context.loader("community.voted", batch).load(target)
