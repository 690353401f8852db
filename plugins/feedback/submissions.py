"""`feedbackSubmit`: a category, text, optional rating and screenshot (an image, checked by content)."""

from __future__ import annotations

from typing import Any

from core.context import Actor, Services
from core.errors import DomainError
from core.storage import IMAGE_TYPES
from plugins.feedback.models import Feedback

CATEGORIES = (
    "ACCOUNT",
    "CONTENT",
    "APPEALS",
    "FEATURES",
    "PAYMENTS",
    "ADS",
    "SUPPORT",
    "HELP_CENTER",
    "OTHER",
)
TEXT_MAX = 2000
SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024
#: Submissions per user per hour.
SUBMIT_LIMIT = (10, 3600)


def clean_text(value: str | None, field: str) -> str:
    """Trimmed feedback text of 1..2000 characters."""
    text = (value or "").strip()
    if not text:
        raise DomainError("EMPTY_FEEDBACK", field=field)
    if len(text) > TEXT_MAX:
        raise DomainError("FEEDBACK_TOO_LONG", field=field, limit=TEXT_MAX)
    return text


async def submit(
    services: Services,
    actor: Actor,
    *,
    category: str,
    text: str,
    rating: int | None,
    screenshot: Any,
    language: str,
) -> Feedback:
    """Validate, store the screenshot (images only), then save the feedback."""
    if category not in CATEGORIES:
        raise DomainError("INVALID_INPUT", field="input.category", detail="unknown category")
    text = clean_text(text, "input.text")
    if rating is not None and not 1 <= rating <= 5:
        raise DomainError("RATING_OUT_OF_RANGE", field="input.rating")
    await services.rate_limiter.hit(f"feedback:submit:{actor.user_id}", *SUBMIT_LIMIT)
    stored = None
    if screenshot is not None:
        saved = await services.storage.save(
            screenshot, allowed=IMAGE_TYPES, max_bytes=SCREENSHOT_MAX_BYTES, field="input.screenshot"
        )
        stored = {"key": saved.key, "content_type": saved.content_type, "size": saved.size}
    return await Feedback.create(
        user_id=int(actor.user_id),
        category=category,
        text=text,
        rating=rating,
        screenshot=stored,
        language=language,
    )


async def own_feedback(actor: Actor, feedback_id: int) -> Feedback:
    """Feedback the actor sent (a retried `feedbackSubmit` returns it again)."""
    entry = await Feedback.get_or_none(id=feedback_id, user_id=int(actor.user_id))
    if entry is None:
        raise DomainError("NOT_FOUND", field="input.clientMutationId")
    return entry
