"""Input rules for posts: lengths, the keyword filter, posting rate limits, language guess."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from core.context import Services
from core.errors import DomainError

TITLE_MAX = 120
THREAD_BODY_MAX = 10_000
REPLY_BODY_MAX = 5_000
REPORT_NOTE_MAX = 500
#: Posting limits per user: (limit, window seconds).
POST_LIMITS = ((5, 60), (40, 86_400))
#: Distinct reports after which a visible post is held for review automatically.
REPORTS_TO_HOLD = 5

_CJK = re.compile(r"[\u3400-\u9fff]")


def clean_text(value: str | None, *, field: str, limit: int) -> str:
    """Trimmed text; EMPTY_POST when blank, POST_TOO_LONG over `limit` (nothing is cut)."""
    text = (value or "").strip()
    if not text:
        raise DomainError("EMPTY_POST", field=field)
    if len(text) > limit:
        raise DomainError("POST_TOO_LONG", field=field, limit=limit)
    if "\x00" in text:
        raise DomainError("INVALID_INPUT", field=field, detail="control characters")
    return text


def clean_title(value: str | None, field: str = "input.title") -> str:
    """A one-line title of 1..120 characters."""
    return " ".join(clean_text(value, field=field, limit=TITLE_MAX).split())


def guess_language(text: str) -> str:
    """zh-CN when the text has Chinese characters, else en (search analysis per language)."""
    return "zh-CN" if _CJK.search(text) else "en"


@lru_cache(maxsize=1)
def blocked_keywords() -> tuple[str, ...]:
    """The keyword filter's list (package data), lower-cased."""
    path = resources.files("plugins.community") / "data" / "blocked_keywords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def matches_filter(*texts: str) -> bool:
    """True when any text contains a blocked keyword."""
    lowered = " ".join(texts).lower()
    return any(keyword in lowered for keyword in blocked_keywords())


async def check_post_rate(services: Services, user_id: str) -> None:
    """Count one post against the user's limits (RATE_LIMITED with retryAfter past them)."""
    for limit, window in POST_LIMITS:
        await services.rate_limiter.hit(f"community:post:{window}:{user_id}", limit, window)
