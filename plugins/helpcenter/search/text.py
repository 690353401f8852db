"""Search terms of the help center: the shared text utilities of `core.text` plus synonym concepts."""

from __future__ import annotations

from core.text import Tokenizer, detect_language, has_cjk, normalize, sanitize, stem
from plugins.helpcenter.search.synonyms import concepts_in

__all__ = ["Tokenizer", "analyze", "detect_language", "has_cjk", "normalize", "sanitize", "stem"]


def analyze(
    tokenizer: Tokenizer, text: str, *, bigrams: bool = True, keep_intent_words: bool = False
) -> list[str]:
    """Terms for BM25: the tokenizer's words, bigrams and stems plus `~concept` synonym tokens.
    Input must be normalised."""
    return [*tokenizer.terms(text, bigrams=bigrams, keep_intent_words=keep_intent_words), *concepts_in(text)]
