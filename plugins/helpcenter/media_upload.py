"""Administrators replace help media (a generated illustration or walkthrough) with real
screenshots and videos. The file is checked by content, kept in the storage backend, and served at
the same `/media/help/<name>` URL; the shipped file stays as the fallback."""

from __future__ import annotations

from typing import Any

from core import audit
from core.context import Services
from core.errors import DomainError
from plugins.helpcenter.media_routes import NAME
from plugins.helpcenter.models import HelpMediaFile

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})
VIDEO_TYPES = frozenset({"video/mp4", "video/webm"})
IMAGE_MAX_BYTES = 5 * 1024 * 1024
VIDEO_MAX_BYTES = 50 * 1024 * 1024
VIDEO_EXTENSIONS = ("mp4", "webm")


def kind_of(name: str) -> str:
    """`video` for names ending in .mp4/.webm, else `image`."""
    return "video" if name.rsplit(".", 1)[-1] in VIDEO_EXTENSIONS else "image"


async def replace(services: Services, admin: Any, name: str, upload: Any, *, ip: str) -> HelpMediaFile:
    """Store `upload` as the file served for `name` (an image stays an image, a video a video)."""
    found = NAME.match(name or "")
    if not found:
        raise DomainError("INVALID_INPUT", field="input.name", detail="a media file name such as step-1.png")
    video = kind_of(name) == "video"
    saved = await services.storage.save(
        upload,
        allowed=VIDEO_TYPES if video else IMAGE_TYPES,
        max_bytes=VIDEO_MAX_BYTES if video else IMAGE_MAX_BYTES,
        field="input.file",
    )
    record, _ = await HelpMediaFile.update_or_create(
        name=name,
        defaults={
            "key": saved.key,
            "content_type": saved.content_type,
            "size": saved.size,
            "uploaded_by_id": admin.user_pk,  # None for an app (the audit entry names it)
        },
    )
    await audit.record(
        services,
        actor=admin,
        action="help.media_replaced",
        target_type="HelpMedia",
        target_id=name,
        ip=ip,
        data={"key": saved.key, "content_type": saved.content_type, "size": saved.size},
    )
    return record
