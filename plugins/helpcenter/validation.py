"""Checks on what an admin writes into an article (lengths, slugs, media entries)."""

from __future__ import annotations

import re
from typing import Any

from core.errors import DomainError
from core.i18n import SUPPORTED_LANGUAGES
from plugins.helpcenter.search import sanitize

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
TOPIC = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
MEDIA_KINDS = ("image", "video")
LIMITS = {"title": 200, "summary": 2000, "body": 100_000}


def _bad(field: str, detail: str) -> DomainError:
    return DomainError("INVALID_INPUT", field=f"input.{field}", detail=detail)


def clean_text(field: str, value: str, *, required: bool = True) -> str:
    """Trimmed text within its length limit."""
    value = sanitize(value or "").strip()
    if required and not value:
        raise _bad(field, f"{field} must not be empty")
    if len(value) > LIMITS[field]:
        raise _bad(field, f"{field} is longer than {LIMITS[field]} characters")
    return value


def clean_list(field: str, values: list[str], max_items: int, max_chars: int) -> list[str]:
    """Non-empty trimmed strings, at most `max_items` of at most `max_chars` each."""
    cleaned = [sanitize(v).strip() for v in values if v and sanitize(v).strip()]
    if len(cleaned) > max_items or any(len(v) > max_chars for v in cleaned):
        raise _bad(field, f"at most {max_items} items of {max_chars} characters")
    return cleaned


def clean_media(items: list[Any]) -> list[dict[str, str]]:
    """Media entries: kind image|video, a URL path or http(s) URL, a caption."""
    cleaned = []
    for item in items[:20]:
        url = sanitize(item.url).strip()
        if item.kind not in MEDIA_KINDS or not re.match(r"^(/|https?://)\S{1,500}$", url):
            raise _bad("media", "kind must be image or video and url a path or http(s) URL")
        cleaned.append({"kind": item.kind, "url": url, "caption": sanitize(item.caption or "").strip()[:200]})
    return cleaned


def check_identity(slug: str, locale: str, topic: str) -> None:
    """Slug, locale and topic formats."""
    if not SLUG.match(slug):
        raise _bad("slug", "lower-case letters, digits and hyphens")
    if locale not in SUPPORTED_LANGUAGES:
        raise _bad("locale", "zh-CN or en")
    if not TOPIC.match(topic) or len(topic) > 64:
        raise _bad("topic", "a topic key such as account.password_reset")
