"""Languages: negotiation and message catalogues (zh-CN and en)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SUPPORTED_LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "en"


def normalize_language(tag: str | None) -> str | None:
    """Map a language tag to a supported one (`zh`, `zh-Hans-CN` -> zh-CN; `en-US` -> en)."""
    if not tag:
        return None
    tag = tag.strip().lower()
    if tag.startswith("zh"):
        return "zh-CN"
    if tag.startswith("en"):
        return "en"
    return None


def negotiate_language(accept_language: str | None, preferred: str | None = None) -> str:
    """Pick the response language: the `Accept-Language` header first (by q), then the user's
    preference, then the default."""
    candidates: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        pieces = part.strip().split(";")
        quality = 1.0
        for param in pieces[1:]:
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = normalize_language(pieces[0])
        if language and quality > 0:
            candidates.append((-quality, index, language))
    if candidates:
        return sorted(candidates)[0][2]
    return normalize_language(preferred) or DEFAULT_LANGUAGE


class Catalog:
    """Bilingual messages keyed by code; formatting never fails on a missing parameter."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        self._messages = dict(messages)

    def add(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        """Merge more messages (a plugin's `register_error_codes`)."""
        self._messages.update(messages)

    def message(self, code: str, language: str, params: Mapping[str, Any] | None = None) -> str:
        """The message for `code` in `language` (falling back to English, then the code)."""
        texts = self._messages.get(code) or {}
        template = texts.get(language) or texts.get(DEFAULT_LANGUAGE) or code
        try:
            return template.format_map(_Lenient(params or {}))
        except (ValueError, IndexError):
            return template


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return ""
