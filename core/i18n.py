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


class CatalogError(RuntimeError):
    """Two definitions of one message that must have a single owner (start-up error)."""


class Catalog:
    """Bilingual messages keyed by `(plugin, code)`; formatting never fails on a missing parameter.

    Core's messages (codes every plugin shares) have no plugin; a plugin may not redefine one.
    Two plugins may each define the same code (`FILE_TOO_LARGE`) with their own text: a lookup in
    a plugin's namespace finds that plugin's text, never the other's.
    """

    def __init__(self, core_messages: Mapping[str, Mapping[str, str]]) -> None:
        self._core = dict(core_messages)
        self._plugins: dict[str, dict[str, Mapping[str, str]]] = {}

    def add(self, plugin: str, messages: Mapping[str, Mapping[str, str]]) -> None:
        """Add a plugin's messages (its `register_error_codes`)."""
        clash = sorted(set(messages) & set(self._core))
        if clash:
            raise CatalogError(f"plugin {plugin!r} redefines core message code(s) {', '.join(clash)}")
        self._plugins.setdefault(plugin, {}).update(messages)

    def texts(self, code: str, namespace: str | None = None) -> Mapping[str, str]:
        """The texts of `code`: the namespace's own, else core's, else the plugin that defines it."""
        own = self._plugins.get(namespace or "", {}).get(code)
        if own is not None:
            return own
        if code in self._core:
            return self._core[code]
        owners = [plugin for plugin in sorted(self._plugins) if code in self._plugins[plugin]]
        return self._plugins[owners[0]][code] if owners else {}

    def message(
        self, code: str, language: str, params: Mapping[str, Any] | None = None, namespace: str | None = None
    ) -> str:
        """The message for `code` in `language` (falling back to English, then the code)."""
        texts = self.texts(code, namespace)
        template = texts.get(language) or texts.get(DEFAULT_LANGUAGE) or code
        try:
            return template.format_map(_Lenient(params or {}))
        except (ValueError, IndexError):
            return template

    def entries(self) -> list[tuple[str | None, str, Mapping[str, str]]]:
        """Every `(plugin or None for core, code, texts)` (the catalogue test walks them)."""
        found: list[tuple[str | None, str, Mapping[str, str]]] = [(None, c, t) for c, t in self._core.items()]
        for plugin in sorted(self._plugins):
            found += [(plugin, code, texts) for code, texts in self._plugins[plugin].items()]
        return found


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return ""
