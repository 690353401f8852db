"""Staff forms larger than the 64 kB every other form gets (the article editor, the media upload):
urlencoded or multipart, at most `max_bytes` whatever the framing, with the same CSRF check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData, UploadFile

from core.http import BodyTooLarge, limited_request
from plugins.portal import session


async def upload_form(request: Any, max_bytes: int) -> tuple[FormData | None, bool]:
    """(the form, too_large): the form is None when the CSRF token is missing or wrong, or when
    the body is over `max_bytes` (then `too_large` is True)."""
    try:
        form = await limited_request(request, max_bytes).form(max_files=1, max_fields=20)
    except BodyTooLarge:
        return None, True
    if not session.csrf_matches(request.cookies.get(session.CSRF_COOKIE), form.get("csrf")):
        return None, False
    return form, False


def uploaded_file(form: Mapping[str, Any], name: str) -> UploadFile | None:
    """The non-empty file posted as `name`, or None."""
    value = form.get(name)
    return value if isinstance(value, UploadFile) and value.filename else None
