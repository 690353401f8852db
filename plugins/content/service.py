"""Videos: upload (checked by content, size and duration), edit, soft delete and restore, listing.

No GraphQL here: resolvers in `schema.py` call these functions with plain values.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from core.context import Services
from core.errors import DomainError
from core.pagination import Page, page_by_columns
from core.rows import Row
from core.storage import IMAGE_TYPES, VIDEO_TYPES
from plugins.content.media import VideoInfo, read_video_info
from plugins.content.models import VISIBILITIES, Video
from plugins.content.settings import ContentSettings, content_settings

PROCESS_JOB = "content.process_video"
PURGE_JOB = "content.purge_deleted"
_UNSET: Any = object()


def clean_title(title: str, settings: ContentSettings, field: str = "input.title") -> str:
    """A title of 1..max characters (whitespace trimmed)."""
    title = (title or "").strip()
    if not 1 <= len(title) <= settings.max_title_chars:
        raise DomainError(
            "INVALID_INPUT", field=field, detail=f"title: 1 to {settings.max_title_chars} characters"
        )
    return title


def clean_description(text: str | None, settings: ContentSettings) -> str:
    """A description of at most the configured length."""
    text = (text or "").strip()
    if len(text) > settings.max_description_chars:
        raise DomainError(
            "INVALID_INPUT",
            field="input.description",
            detail=f"description: at most {settings.max_description_chars} characters",
        )
    return text


def clean_tags(tags: list[str] | None, settings: ContentSettings) -> list[str]:
    """Tags without '#', trimmed, de-duplicated (case-insensitively), within count and length limits."""
    result: list[str] = []
    seen: set[str] = set()
    for raw in tags or []:
        tag = raw.strip().lstrip("#").strip()
        if not tag:
            continue
        if len(tag) > settings.max_tag_chars:
            raise DomainError(
                "INVALID_INPUT",
                field="input.tags",
                detail=f"a tag has at most {settings.max_tag_chars} characters",
            )
        if tag.lower() not in seen:
            seen.add(tag.lower())
            result.append(tag)
    if len(result) > settings.max_tags:
        raise DomainError("INVALID_INPUT", field="input.tags", detail=f"at most {settings.max_tags} tags")
    return result


def clean_visibility(value: str) -> str:
    """One of PUBLIC, FRIENDS, PRIVATE."""
    if value not in VISIBILITIES:
        raise DomainError("INVALID_INPUT", field="input.visibility", detail="visibility")
    return value


async def probe(services: Services, key: str, content_type: str) -> VideoInfo | None:
    """Read a stored video's metadata off the event loop."""

    def read() -> VideoInfo | None:
        with services.storage.open(key) as stream:
            return read_video_info(stream, content_type)

    return await asyncio.to_thread(read)


async def upload_video(
    services: Services,
    owner_id: int,
    *,
    title: str,
    description: str | None,
    visibility: str,
    tags: list[str] | None,
    upload: Any,
) -> Video:
    """Store an uploaded video and create it PROCESSING; the metadata job publishes it.

    Every text input is checked before the file is read, and the file's type, size and duration
    before the row is written, so a refused upload leaves no video behind.
    """
    settings = content_settings(services)
    title = clean_title(title, settings)
    description = clean_description(description, settings)
    tags = clean_tags(tags, settings)
    visibility = clean_visibility(visibility)
    stored = await services.storage.save(
        upload, allowed=VIDEO_TYPES, max_bytes=settings.max_video_bytes, field="input.file"
    )
    info = await probe(services, stored.key, stored.content_type)
    if info is None:
        raise DomainError("VIDEO_UNREADABLE", field="input.file")
    if info.duration_seconds is not None and info.duration_seconds > settings.max_video_seconds:
        raise DomainError(
            "VIDEO_TOO_LONG", field="input.file", limit_minutes=settings.max_video_seconds // 60
        )
    video = await Video.create(
        owner_id=owner_id,
        title=title,
        description=description,
        visibility=visibility,
        tags=tags,
        file_key=stored.key,
        content_type=stored.content_type,
        size_bytes=stored.size,
        duration_seconds=info.duration_seconds,
    )
    await services.jobs.enqueue(PROCESS_JOB, video_id=video.id)
    return video


async def process_video(services: Services, video_id: int) -> None:
    """The metadata job: record duration and frame size, then publish. Idempotent: a video that
    was already processed is left alone, a deleted one keeps its status (restore publishes it)."""
    video = await Video.get_or_none(id=video_id)
    if video is None or video.published_at is not None:
        return
    info = await probe(services, video.file_key, video.content_type) or VideoInfo()
    changes: dict[str, Any] = {
        "duration_seconds": info.duration_seconds
        if info.duration_seconds is not None
        else video.duration_seconds,
        "width": info.width,
        "height": info.height,
        "published_at": datetime.now(UTC),
    }
    await Video.filter(id=video_id, published_at__isnull=True).update(**changes)
    await Video.filter(id=video_id, status="PROCESSING").update(status="PUBLISHED")


async def owned_video(owner_id: int, video_id: int, *, lock: bool = False) -> Video:
    """The owner's video; NOT_FOUND for anyone else's (ids are not enumerable)."""
    query = Video.filter(id=video_id, owner_id=owner_id)
    video = await (query.select_for_update().first() if lock else query.first())
    if video is None:
        raise DomainError("NOT_FOUND", field="id")
    return video


async def update_video(
    services: Services,
    owner_id: int,
    video_id: int,
    *,
    title: Any = _UNSET,
    description: Any = _UNSET,
    tags: Any = _UNSET,
    visibility: Any = _UNSET,
    comments_enabled: Any = _UNSET,
    cover: Any = None,
) -> Video:
    """Change what the owner asked to change. A removed or deleted video cannot be edited."""
    settings = content_settings(services)
    changes: dict[str, Any] = {}
    if title is not _UNSET and title is not None:
        changes["title"] = clean_title(title, settings)
    if description is not _UNSET and description is not None:
        changes["description"] = clean_description(description, settings)
    if tags is not _UNSET and tags is not None:
        changes["tags"] = clean_tags(tags, settings)
    if visibility is not _UNSET and visibility is not None:
        changes["visibility"] = clean_visibility(visibility)
    if comments_enabled is not _UNSET and comments_enabled is not None:
        changes["comments_enabled"] = bool(comments_enabled)
    video = await owned_video(owner_id, video_id)
    _require_editable(video)
    if cover is not None:
        stored = await services.storage.save(
            cover, allowed=IMAGE_TYPES, max_bytes=settings.max_cover_bytes, field="input.cover"
        )
        changes["cover_key"] = stored.key
    if changes:
        # The status condition closes the race with a removal that lands meanwhile.
        updated = await Video.filter(id=video.id, status__in=("PROCESSING", "PUBLISHED")).update(**changes)
        if not updated:
            _require_editable(await owned_video(owner_id, video_id))
    return await owned_video(owner_id, video_id)


def _require_editable(video: Video) -> None:
    if video.status == "REMOVED":
        raise DomainError("VIDEO_REMOVED", field="id")
    if video.status == "DELETED":
        raise DomainError("VIDEO_DELETED", field="id")


async def delete_video(owner_id: int, video_id: int) -> Video:
    """Soft delete: the video disappears everywhere but stays restorable for the restore window."""
    video = await owned_video(owner_id, video_id)
    if video.status != "DELETED":
        await (
            Video.filter(id=video.id)
            .exclude(status="DELETED")
            .update(status="DELETED", deleted_at=datetime.now(UTC))
        )
    return await owned_video(owner_id, video_id)


def restorable_until(deleted_at: datetime | None, settings: ContentSettings) -> datetime | None:
    """Until when a video deleted at `deleted_at` can be restored (None when not deleted)."""
    return deleted_at + timedelta(days=settings.restore_days) if deleted_at else None


async def restore_video(services: Services, owner_id: int, video_id: int) -> Video:
    """Undo a soft delete within the window: the video gets back the status it would have now
    (REMOVED if a decision removed it, PUBLISHED once processed, else PROCESSING)."""
    settings = content_settings(services)
    video = await owned_video(owner_id, video_id)
    if video.status != "DELETED" or video.deleted_at is None:
        raise DomainError("NOT_DELETED", field="id")
    until = restorable_until(video.deleted_at, settings)
    if until is not None and until < datetime.now(UTC):
        raise DomainError("RESTORE_WINDOW_EXPIRED", field="id", days=settings.restore_days)
    status = "REMOVED" if video.removed_at else ("PUBLISHED" if video.published_at else "PROCESSING")
    await Video.filter(id=video.id, status="DELETED").update(status=status, deleted_at=None)
    return await owned_video(owner_id, video_id)


#: What a GraphQL video, `can_see` and the comments read of a row (the owner's list reads only these).
VIDEO_COLUMNS = (
    "owner_id", "title", "description", "visibility", "status", "tags", "size_bytes",
    "duration_seconds", "width", "height", "cover_key", "comments_enabled", "views", "likes",
    "comments", "shares", "created_at", "published_at", "deleted_at",
)  # fmt: skip


async def my_videos(
    owner_id: int,
    first: int | None,
    after: str | None,
    *,
    deleted: bool = False,
    columns: tuple[str, ...] = VIDEO_COLUMNS,
) -> Page:
    """The owner's videos (`core.rows.Row`s of `id` and `columns`), newest first: all but deleted
    ones, or only the recently deleted."""
    if deleted:
        return await page_by_columns(
            Video, first, after, columns=columns, equal={"owner_id": owner_id, "status": "DELETED"}
        )
    return await page_by_columns(
        Video, first, after, columns=columns, equal={"owner_id": owner_id}, unequal={"status": "DELETED"}
    )


def can_see(video: Video | Row, actor: Any) -> bool:
    """Who may see a video: the owner and staff always, others a PUBLISHED PUBLIC one.

    FRIENDS needs a follower graph this backend does not keep, so it is treated as PRIVATE. A
    restricted (banned) session sees only what anonymous visitors see."""
    if (
        actor is not None
        and not actor.restricted
        and (str(video.owner_id) == actor.user_id or actor.is_staff)
    ):
        return True
    return video.status == "PUBLISHED" and video.visibility == "PUBLIC"


async def purge_deleted(services: Services) -> int:
    """Periodic job: erase videos deleted longer ago than the restore window. A video under an
    unreversed decision is kept until the restore window has passed after the decision's appeal
    window too, so an appeal filed on the last day (and its escalation) can still restore it."""
    from plugins.content.models import Decision

    now = datetime.now(UTC)
    window = timedelta(days=content_settings(services).restore_days)
    cutoff = now - window
    held = Decision.filter(video_id__isnull=False, reversed_at__isnull=True, appealable_until__gt=cutoff)
    held_ids = set(await held.values_list("video_id", flat=True))
    expired = await Video.filter(status="DELETED", deleted_at__lt=cutoff).values_list("id", flat=True)
    doomed = [video_id for video_id in expired if video_id not in held_ids]
    if doomed:
        await Video.filter(id__in=doomed, status="DELETED").delete()
    return len(doomed)
