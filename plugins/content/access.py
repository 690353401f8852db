"""Relay node loading and object-level authorization for videos, comments and decisions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plugins.content import models
from plugins.content.service import can_see
from plugins.content.types import Comment, Decision, video_of


def _pks(ids: Sequence[str]) -> list[int]:
    return [int(i) for i in ids if str(i).isdigit()]


async def load_videos(ids: Sequence[str], context: Any) -> list[Any]:
    """Videos by primary key, in order (None where missing)."""
    found = {v.id: v for v in await models.Video.filter(id__in=_pks(ids))}
    return [video_of(found[int(i)], context) if str(i).isdigit() and int(i) in found else None for i in ids]


def can_view_video(video: Any, context: Any) -> bool:
    """Owner and staff always; others a published public video."""
    return can_see(video.model, context.actor)


async def load_comments(ids: Sequence[str], context: Any) -> list[Any]:
    """Comments with their videos, in order (None where missing or deleted)."""
    rows = await models.Comment.filter(id__in=_pks(ids)).exclude(status="DELETED").select_related("video")
    found = {c.id: Comment.from_model(c) for c in rows}
    return [found.get(int(i)) if str(i).isdigit() else None for i in ids]


def can_view_comment(comment: Any, context: Any) -> bool:
    """A visible comment on a video one may see; a hidden one only for the video owner and its
    author (a filtered commenter is not told, so the filter is not worked around)."""
    video = comment.model.video
    actor = context.actor
    if not can_see(video, actor):
        return False
    if comment.model.status == "VISIBLE":
        return True
    if actor is None or actor.restricted:
        return False
    return actor.user_id in (str(video.owner_id), str(comment.model.author_id))


async def load_decisions(ids: Sequence[str], context: Any) -> list[Any]:
    """Decisions by primary key, in order."""
    found = {d.id: d for d in await models.Decision.filter(id__in=_pks(ids))}
    return [
        Decision.from_model(found[int(i)], context) if str(i).isdigit() and int(i) in found else None
        for i in ids
    ]


def can_view_decision(decision: Any, context: Any) -> bool:
    """The user the decision is about (restricted sessions too) and staff."""
    actor = context.actor
    return actor is not None and (str(decision.model.subject_user_id) == actor.user_id or actor.is_staff)
