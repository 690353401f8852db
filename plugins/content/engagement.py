"""Counting engagement from clients: views and shares (anonymous allowed, one per viewer per video
per window so a refresh loop does not inflate them) and likes (signed in, once per user)."""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.errors import DomainError
from plugins.content import api
from plugins.content.models import Video
from plugins.content.service import can_see

DEDUPE_SECONDS = 600


async def _visible(video_id: int, actor: Any) -> Video:
    video = await Video.get_or_none(id=video_id)
    if video is None or video.status != "PUBLISHED" or not can_see(video, actor):
        raise DomainError("NOT_FOUND", field="id")
    return video


async def _first_in_window(services: Services, kind: str, video_id: int, viewer: str) -> bool:
    return bool(
        await services.redis.set(f"content:{kind}:{video_id}:{viewer}", "1", nx=True, ex=DEDUPE_SECONDS)
    )


async def count(services: Services, kind: str, video_id: int, actor: Any, ip: str) -> bool:
    """Count a view or share (`kind`) of a visible video; False when this viewer was counted
    for it within the window."""
    video = await _visible(video_id, actor)
    viewer = f"u{actor.user_id}" if actor is not None else f"ip{ip}"
    if not await _first_in_window(services, kind, video.id, viewer):
        return False
    if kind == "view":
        await api.record_view(video.id)
    else:
        await api.record_share(video.id)
    return True


async def like(actor: Any, video_id: int) -> Video:
    """Like a visible video (a repeat changes nothing) and return it with fresh counts."""
    video = await _visible(video_id, actor)
    await api.record_like(video.id, actor.user_id)
    return await Video.get(id=video.id)
