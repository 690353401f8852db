"""Cleaning what users type before it is analysed or stored."""

from __future__ import annotations

from core.errors import DomainError
from core.text import sanitize


def clean_message(message: str, max_chars: int) -> str:
    """Lone surrogates replaced, control characters removed, trimmed; INVALID_INPUT when empty or
    longer than `max_chars`."""
    text = sanitize(message).strip()
    if not text:
        raise DomainError("INVALID_INPUT", field="input.message", detail="the message is empty")
    if len(text) > max_chars:
        raise DomainError("INVALID_INPUT", field="input.message", detail=f"at most {max_chars} characters")
    return text
