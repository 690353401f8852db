"""Cleaning what users type before it is analysed or stored."""

from __future__ import annotations

import re

from core.errors import DomainError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_message(message: str, max_chars: int) -> str:
    """Lone surrogates replaced, control characters removed, trimmed; INVALID_INPUT when empty or
    longer than `max_chars`."""
    text = message.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub("", text).strip()
    if not text:
        raise DomainError("INVALID_INPUT", field="input.message", detail="the message is empty")
    if len(text) > max_chars:
        raise DomainError("INVALID_INPUT", field="input.message", detail=f"at most {max_chars} characters")
    return text
