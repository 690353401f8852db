"""Comments: creating one (the owner's keyword filter hides matching new comments), the owner's
moderation (HIDE, DELETE, PIN, UNPIN), and the owner's keyword list."""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.context import Services
from core.errors import DomainError
from core.pagination import Page, page_by_offset
from core.rows import Row
from plugins.content.models import Comment, CommentSettings, Video
from plugins.content.service import can_see
from plugins.content.settings import content_settings

ACTIONS = ("HIDE", "DELETE", "PIN", "UNPIN")


def matches(body: str, keywords: list[str]) -> bool:
    """True when `body` contains any keyword (case-insensitive substring: works for Chinese too)."""
    lowered = body.casefold()
    return any(keyword.casefold() in lowered for keyword in keywords if keyword)


async def create_comment(services: Services, actor: Any, video_id: int, body: str) -> Comment:
    """Comment on a video the actor may see; hidden at once when it matches the owner's filter."""
    settings = content_settings(services)
    body = (body or "").strip()
    if not 1 <= len(body) <= settings.max_comment_chars:
        raise DomainError(
            "INVALID_INPUT", field="body", detail=f"comment: 1 to {settings.max_comment_chars} characters"
        )
    video = await Video.get_or_none(id=video_id)
    if video is None or not can_see(video, actor) or video.status != "PUBLISHED":
        raise DomainError("NOT_FOUND", field="videoId")
    if not video.comments_enabled:
        raise DomainError("COMMENTS_DISABLED", field="videoId")
    filtered = False
    if str(video.owner_id) != actor.user_id:
        owner_settings = await CommentSettings.get_or_none(user_id=video.owner_id)
        filtered = bool(owner_settings and matches(body, owner_settings.blocked_keywords))
    async with in_transaction():
        comment = await Comment.create(
            video_id=video.id,
            author_id=int(actor.user_id),
            body=body,
            status="HIDDEN" if filtered else "VISIBLE",
            filtered=filtered,
        )
        from plugins.content.api import bump_video, utc_day  # api.py re-exports types.py, which imports us

        await bump_video(video.id, utc_day(), comments=1)
    return comment


async def own_comment(actor: Any, comment_id: int) -> Comment:
    """A comment the actor wrote (a retried `commentCreate` returns it again)."""
    comment = await Comment.get_or_none(id=comment_id, author_id=int(actor.user_id))
    if comment is None:
        raise DomainError("NOT_FOUND", field="videoId")
    return comment


async def moderate_comment(actor: Any, comment_id: int, action: str) -> Comment:
    """The video owner hides, deletes, pins (one pinned per video) or unpins a comment. The author
    may delete their own comment. Anyone else gets NOT_FOUND."""
    if action not in ACTIONS:
        raise DomainError("INVALID_INPUT", field="action", detail="action")
    async with in_transaction():
        comment = await Comment.filter(id=comment_id).select_for_update().first()
        if comment is None or comment.status == "DELETED":
            raise DomainError("NOT_FOUND", field="id")
        video = await Video.get(id=comment.video_id)
        is_owner = str(video.owner_id) == actor.user_id
        is_author = str(comment.author_id) == actor.user_id
        if not (is_owner or (is_author and action == "DELETE")):
            raise DomainError("NOT_FOUND", field="id")
        if action == "HIDE":
            comment.status, comment.pinned = "HIDDEN", False
        elif action == "DELETE":
            comment.status, comment.pinned = "DELETED", False
        elif action == "PIN":
            if comment.status != "VISIBLE":
                raise DomainError("INVALID_INPUT", field="id", detail="only a visible comment can be pinned")
            await Comment.filter(video_id=comment.video_id, pinned=True).update(pinned=False)
            comment.pinned = True
        else:
            comment.pinned = False
        await comment.save(update_fields=["status", "pinned"])
    return comment


async def video_comments(video: Video | Row, actor: Any, first: int | None, after: str | None) -> Page:
    """A video's comments, the pinned one first, then newest. The owner also sees hidden ones,
    an author their own hidden ones."""
    query = Comment.filter(video_id=video.id)
    if actor is not None and not actor.restricted and str(video.owner_id) == actor.user_id:
        query = query.filter(status__in=("VISIBLE", "HIDDEN"))
    elif actor is not None and not actor.restricted:
        query = query.filter(Q(status="VISIBLE") | Q(status="HIDDEN", author_id=int(actor.user_id)))
    else:
        query = query.filter(status="VISIBLE")
    return await page_by_offset(query.order_by("-pinned", "-id"), first, after)


async def set_keywords(services: Services, user_id: int, keywords: list[str]) -> list[str]:
    """Replace the owner's keyword filter (trimmed, de-duplicated, bounded)."""
    settings = content_settings(services)
    cleaned: list[str] = []
    for raw in keywords:
        keyword = raw.strip()
        if keyword and keyword.casefold() not in {k.casefold() for k in cleaned}:
            if len(keyword) > 50:
                raise DomainError(
                    "INVALID_INPUT", field="keywords", detail="a keyword has at most 50 characters"
                )
            cleaned.append(keyword)
    if len(cleaned) > settings.max_keywords:
        raise DomainError(
            "INVALID_INPUT", field="keywords", detail=f"at most {settings.max_keywords} keywords"
        )
    await CommentSettings.update_or_create(user_id=user_id, defaults={"blocked_keywords": cleaned})
    return cleaned


async def keywords_of(user_id: int) -> list[str]:
    """The owner's keyword filter."""
    found = await CommentSettings.get_or_none(user_id=user_id)
    return list(found.blocked_keywords) if found else []
