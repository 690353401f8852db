"""Moderator actions (hide, unhide, lock, pin, move), accepted answers and board moderators."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from core.context import Actor, Services
from core.duties import forbid_own_case, require_may_moderate
from core.errors import DomainError, Forbidden, NotFound
from core.roles import Role
from plugins.account.api import roles_of
from plugins.community.boards import board_by_slug
from plugins.community.models import Board, ModerationAction, Reply, Report, Thread
from plugins.community.service import bump_search_version, is_moderator, load_post, parse_post

ACTIONS = ("HIDE", "UNHIDE", "LOCK", "UNLOCK", "PIN", "UNPIN", "MOVE")
THREAD_ONLY = ("LOCK", "UNLOCK", "PIN", "UNPIN", "MOVE")


async def _refresh_thread_counters(thread_id: int) -> None:
    """Recount a thread's visible replies and its last reply (after a reply changes state)."""
    visible = Reply.filter(thread_id=thread_id, status="VISIBLE")
    count = await visible.count()
    last = await visible.order_by("-id").first()
    await Thread.filter(id=thread_id).update(reply_count=count, last_reply_id=last.pk if last else None)


async def set_post_status(kind: str, post: Any, thread: Thread, status: str) -> None:
    """Change a post's status, keeping the thread's reply counters right."""
    post.status = status
    await post.save(update_fields=["status"])
    if kind == "R":
        await _refresh_thread_counters(thread.pk)


async def moderate(
    services: Services, actor: Actor, *, post_id: str, action: str, board: str | None, note: str | None
) -> tuple[str, Any]:
    """Apply a moderator action to a post; every action is logged with its note."""
    if action not in ACTIONS:
        raise DomainError("INVALID_INPUT", field="input.action", detail="unknown action")
    kind, pk = parse_post(post_id, "input.postId")
    post, thread = await load_post(actor, kind, pk, "input.postId")
    if not is_moderator(actor, thread.board):
        raise Forbidden()
    # Moderators never act on their own posts, and a staff member's post is moderated only by an
    # ADMIN (core.duties): a board moderator or reviewer cannot hide an admin.
    forbid_own_case(actor.user_id, post.author_id, field="input.postId")
    require_may_moderate(actor.roles, await roles_of(post.author_id), field="input.postId")
    if action in THREAD_ONLY and kind != "T":
        raise DomainError("INVALID_ACTION", field="input.action", detail="only threads")
    note = (note or "").strip()[:500]
    async with in_transaction():
        if action in ("HIDE", "UNHIDE"):
            await set_post_status(kind, post, thread, "HIDDEN" if action == "HIDE" else "VISIBLE")
            await Report.filter(target=f"{kind}:{pk}", resolved_at__isnull=True).update(
                resolved_at=datetime.now(UTC)
            )
        elif action in ("LOCK", "UNLOCK"):
            post.locked = action == "LOCK"
            await post.save(update_fields=["locked"])
        elif action in ("PIN", "UNPIN"):
            post.pinned = action == "PIN"
            await post.save(update_fields=["pinned"])
        else:
            target = await board_by_slug((board or "").strip().lower())
            if target is None:
                raise DomainError("UNKNOWN_BOARD", field="input.board", board=board or "")
            if target.pk == post.board_id:
                raise DomainError("INVALID_ACTION", field="input.board", detail="already on this board")
            post.board = target
            await post.save(update_fields=["board_id"])
            await Report.filter(board_id=thread.board_id, target=f"T:{pk}").update(board_id=target.pk)
        await ModerationAction.create(
            moderator_id=int(actor.user_id), target=f"{kind}:{pk}", action=action, note=note
        )
    await bump_search_version(services)
    if kind == "T":
        await post.fetch_related("board")
    return kind, post


async def accept_answer(services: Services, actor: Actor, reply_id: str) -> Thread:
    """Mark a visible reply as the thread's accepted answer (thread author or a moderator)."""
    kind, pk = parse_post(reply_id, "input.replyId")
    if kind != "R":
        raise DomainError("INVALID_INPUT", field="input.replyId", detail="not a reply id")
    reply, thread = await load_post(actor, "R", pk, "input.replyId")
    if reply.status != "VISIBLE" or thread.status != "VISIBLE":
        raise DomainError("INVALID_ACTION", field="input.replyId", detail="the post is not public")
    if str(thread.author_id) != actor.user_id and not is_moderator(actor, thread.board):
        raise DomainError("NOT_THREAD_AUTHOR", field="input.replyId")
    thread.accepted_reply_id = reply.pk
    await thread.save(update_fields=["accepted_reply_id"])
    await bump_search_version(services)
    return thread


async def set_board_moderators(actor: Actor, *, board: str, user_ids: list[int]) -> Board:
    """Replace a board's moderator list (admins only)."""
    if not actor.has_role(Role.ADMIN):
        raise Forbidden()
    target = await board_by_slug((board or "").strip().lower())
    if target is None:
        raise DomainError("UNKNOWN_BOARD", field="input.board", board=board)
    from plugins.account.api import existing_user_ids

    found = await existing_user_ids(user_ids)
    if missing := [uid for uid in user_ids if uid not in found]:
        raise NotFound(field="input.userIds", detail=str(missing[0]))
    target.moderators = sorted(set(user_ids))
    await target.save(update_fields=["moderators"])
    return target
