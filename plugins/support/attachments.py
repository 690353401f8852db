"""Ticket attachments through the storage interface: images, PDF or video, checked by content."""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.errors import DomainError
from core.storage import DOCUMENT_TYPES, IMAGE_TYPES, VIDEO_TYPES
from plugins.support.settings import support_settings

ALLOWED = IMAGE_TYPES | DOCUMENT_TYPES | VIDEO_TYPES


def check_count(uploads: list[Any] | None, services: Services, field: str) -> list[Any]:
    """The uploads, or `TOO_MANY_ATTACHMENTS` before anything is stored."""
    uploads = list(uploads or [])
    limit = support_settings(services).attachments_per_message
    if len(uploads) > limit:
        raise DomainError("TOO_MANY_ATTACHMENTS", field=field, limit=limit)
    return uploads


async def store_all(services: Services, uploads: list[Any], field: str) -> list[dict[str, Any]]:
    """Store every upload (size and type checked); the first bad one fails the whole message.

    Storage is content addressed, so a file kept from a failed message is harmless and deduplicated.
    """
    settings = support_settings(services)
    stored = []
    for index, upload in enumerate(uploads):
        saved = await services.storage.save(
            upload, allowed=ALLOWED, max_bytes=settings.attachment_max_bytes, field=f"{field}.{index}"
        )
        stored.append(
            {
                "key": saved.key,
                "content_type": saved.content_type,
                "size": saved.size,
                "filename": saved.filename,
            }
        )
    return stored
