"""A small, safe Markdown subset to HTML: the source is stored, this renders it.

Raw HTML is always escaped (never passed through). Supported: paragraphs, line breaks, `#`..`###`
headings, `-`/`*` and `1.` lists, `>` quotes (nested at most `MAX_QUOTE_DEPTH` deep; deeper
markers are text), fenced code blocks, inline code, **bold**, *italic*, and links whose target is
http(s) or a site-relative path (anything else is shown as text).

Rendering is linear in the input: emphasis is paired by one left-to-right scan over its markers
(no backtracking regex), and every remaining regex is anchored, bounded, or repeats only a class
that excludes the delimiter that started it (tests/test_markdown_work.py checks both).
"""

from __future__ import annotations

import html
import re

#: How deep `>` quotes nest; a post cannot make the renderer recurse further.
MAX_QUOTE_DEPTH = 5

_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]{1,200})\]\(([^)\s]{1,500})\)")
_SAFE_URL = re.compile(r"^(https?://[^\s\"'<>]+|/[^/\s\"'<>][^\s\"'<>]*)$", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,3})\s+(.+)$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_MARKUP = re.compile(r"[`*#>_]+")


def _inline(text: str) -> str:
    """Escape `text`, then apply inline code, links, bold and italic (code spans are left alone)."""
    pieces = []
    last = 0
    for match in _CODE.finditer(text):
        pieces.append(_spans(text[last : match.start()]))
        pieces.append(f"<code>{html.escape(match.group(1))}</code>")
        last = match.end()
    pieces.append(_spans(text[last:]))
    return "".join(pieces)


def _link(match: re.Match) -> str:
    label, url = match.group(1), html.unescape(match.group(2))
    if not _SAFE_URL.match(url):
        return match.group(0)
    return f'<a href="{html.escape(url, quote=True)}" rel="nofollow noopener ugc">{label}</a>'


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _bold_opens(before: str, after: str) -> bool:
    return bool(after) and not after.isspace()


def _bold_closes(before: str, after: str) -> bool:
    return bool(before) and not before.isspace()


def _italic_opens(before: str, after: str) -> bool:
    return before != "*" and not _is_word(before) and bool(after) and not after.isspace() and after != "*"


def _italic_closes(before: str, after: str) -> bool:
    return bool(before) and not before.isspace() and before != "*" and after != "*" and not _is_word(after)


def _emphasis(text: str, marker: str, tag: str, opens, closes) -> str:
    """Pair `marker`s in one left-to-right pass: the first marker that can open waits for the
    next one that can close (with something between), like a lazy regex but without rescanning."""
    pieces: list[str] = []
    last, position, size = 0, text.find(marker), len(marker)
    opener: int | None = None  # index in `pieces` of the waiting opener
    opened_at = 0
    while position != -1:
        if marker == "*" and position + 1 < len(text) and text[position + 1] == "*":
            position = text.find(marker, position + 2)  # a `**` run is not an italic marker
            continue
        before = text[position - 1] if position else ""
        end = position + size
        after = text[end] if end < len(text) else ""
        pieces.append(text[last:position])
        if opener is not None and position > opened_at + size and closes(before, after):
            pieces[opener] = f"<{tag}>"
            pieces.append(f"</{tag}>")
            opener = None
        elif opener is None and opens(before, after):
            opener, opened_at = len(pieces), position
            pieces.append(marker)
        else:
            pieces.append(marker)
        last = end
        position = text.find(marker, end)
    pieces.append(text[last:])
    return "".join(pieces)


def _spans(text: str) -> str:
    escaped = html.escape(text, quote=True)
    escaped = _LINK.sub(_link, escaped)
    escaped = _emphasis(escaped, "**", "strong", _bold_opens, _bold_closes)
    return _emphasis(escaped, "*", "em", _italic_opens, _italic_closes)


def render(source: str) -> str:
    """HTML for Markdown `source` (safe to embed: no raw HTML, no script URLs)."""
    return _render(source.replace("\r\n", "\n").split("\n"), 0)


def _render(lines: list[str], depth: int) -> str:
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""
    quote: list[str] = []
    code: list[str] | None = None

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append(f"<{list_tag}>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + f"</{list_tag}>")
            items.clear()
            list_tag = ""
        if quote:
            out.append("<blockquote>" + _render(list(quote), depth + 1) + "</blockquote>")
            quote.clear()

    for raw in lines:
        line = raw.rstrip()
        if code is not None:
            if line.strip().startswith("```"):
                out.append("<pre><code>" + html.escape("\n".join(code)) + "</code></pre>")
                code = None
            else:
                code.append(raw)
            continue
        if line.strip().startswith("```"):
            flush()
            code = []
            continue
        if not line.strip():
            flush()
            continue
        if line.lstrip().startswith(">") and depth < MAX_QUOTE_DEPTH:
            if paragraph or items:
                flush()
            quote.append(line.lstrip()[1:].lstrip())
            continue
        heading = _HEADING.match(line)
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        item = bullet or numbered
        if heading:
            flush()
            level = len(heading.group(1)) + 2  # h3..h5: a post never outranks the page title
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif item:
            tag = "ul" if bullet else "ol"
            if paragraph or quote or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append(item.group(1))
        else:
            if items or quote:
                flush()
            paragraph.append(line.strip())
    if code is not None:  # an unclosed fence still shows its text
        out.append("<pre><code>" + html.escape("\n".join(code)) + "</code></pre>")
    flush()
    return "\n".join(out)


def plain_text(source: str) -> str:
    """The Markdown source without markup characters (search documents, snippets). Fenced code
    is dropped by splitting on the fences (every other segment), not by a lazy regex."""
    segments = source.split("```")
    kept = segments[0::2] if len(segments) % 2 else [*segments[0:-1:2], segments[-1]]
    text = " ".join(kept)
    text = _LINK.sub(r"\1", text)
    return _MARKUP.sub(" ", text)
