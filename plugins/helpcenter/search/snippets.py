"""Highlighted snippets: the passage of an article that best matches the query, with the matching
words wrapped in <mark>…</mark> (the rest of the text is escaped, so clients may render it as HTML)."""

from __future__ import annotations

import html
import re

from core.text import Tokenizer, has_cjk, normalize, stem

_MARKDOWN = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`#]+|^>\s?", re.MULTILINE)
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?|[^.\n]+(?:\.(?=\s|$))?")
_WORD = re.compile(r"[A-Za-z0-9]+")
MAX_CHARS = 160


def plain_text(markdown: str) -> str:
    """Markdown without images, link targets and emphasis marks."""
    return _MARKDOWN.sub(lambda m: m.group(1) or "", markdown)


def query_terms(tokenizer: Tokenizer, query: str) -> tuple[set[str], set[str]]:
    """Chinese words (two characters or more) and English stems of a query."""
    text = normalize(query)
    chinese: set[str] = set()
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        words = [w for w in tokenizer.segment(run) if len(w) >= 2]
        chinese.update(words or [run[i : i + 2] for i in range(len(run) - 1)])
    english = {stem(w) for w in _WORD.findall(text) if len(w) > 2}
    return chinese, english


def _score(sentence: str, chinese: set[str], english: set[str]) -> int:
    lower = sentence.lower()
    hits = sum(1 for word in chinese if word in sentence)
    hits += len({stem(w) for w in _WORD.findall(lower)} & english)
    return hits


def highlight(text: str, chinese: set[str], english: set[str]) -> str:
    """Escape `text` and wrap matching words in <mark>."""
    spans: list[tuple[int, int]] = []
    for word in chinese:
        spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(word), text))
    for m in _WORD.finditer(text):
        if stem(m.group().lower()) in english:
            spans.append((m.start(), m.end()))
    out, last = [], 0
    for start, end in _merge(spans):
        out.append(html.escape(text[last:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(tokenizer: Tokenizer, query: str, title: str, body: str) -> str:
    """The body sentence (or title) that matches the query best, trimmed and highlighted."""
    chinese, english = query_terms(tokenizer, query)
    text = plain_text(body)
    best, best_score = "", 0
    for sentence in _SENTENCE.findall(text):
        sentence = sentence.strip(" -\t")
        if len(sentence) < 4:
            continue
        score = _score(sentence, chinese, english)
        if score > best_score:
            best, best_score = sentence, score
    if not best:
        best = next((s.strip(" -\t") for s in _SENTENCE.findall(text) if len(s.strip()) >= 4), title)
    limit = MAX_CHARS // 2 if has_cjk(best) else MAX_CHARS
    if len(best) > limit:
        best = best[:limit].rstrip() + "…"
    return highlight(best, chinese, english)
