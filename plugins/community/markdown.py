"""A small, safe Markdown subset to HTML: the source is stored, this renders it.

Raw HTML is always escaped (never passed through). Supported: paragraphs, line breaks, `#`..`###`
headings, `-`/`*` and `1.` lists, `>` quotes, fenced code blocks, inline code, **bold**, *italic*,
and links whose target is http(s) or a site-relative path (anything else is shown as text).
"""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")
_LINK = re.compile(r"\[([^\]\n]{1,200})\]\(([^)\s]{1,500})\)")
_SAFE_URL = re.compile(r"^(https?://[^\s\"'<>]+|/[^/\s\"'<>][^\s\"'<>]*)$", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,3})\s+(.+)$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


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


def _spans(text: str) -> str:
    escaped = html.escape(text, quote=True)
    escaped = _LINK.sub(_link, escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _ITALIC.sub(r"<em>\1</em>", escaped)


def render(source: str) -> str:
    """HTML for Markdown `source` (safe to embed: no raw HTML, no script URLs)."""
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
            out.append("<blockquote>" + render("\n".join(quote)) + "</blockquote>")
            quote.clear()

    for raw in source.replace("\r\n", "\n").split("\n"):
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
        if line.lstrip().startswith(">"):
            if paragraph or items:
                flush()
            quote.append(line.lstrip()[1:].lstrip())
            continue
        heading = _HEADING.match(line)
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if heading:
            flush()
            level = len(heading.group(1)) + 2  # h3..h5: a post never outranks the page title
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet or numbered:
            tag = "ul" if bullet else "ol"
            if paragraph or quote or (items and tag != list_tag):
                flush()
            list_tag = tag
            items.append((bullet or numbered).group(1))
        else:
            if items or quote:
                flush()
            paragraph.append(line.strip())
    if code is not None:  # an unclosed fence still shows its text
        out.append("<pre><code>" + html.escape("\n".join(code)) + "</code></pre>")
    flush()
    return "\n".join(out)


def plain_text(source: str) -> str:
    """The Markdown source without markup characters (search documents, snippets)."""
    text = re.sub(r"```.*?```", " ", source, flags=re.DOTALL)
    text = _LINK.sub(r"\1", text)
    return re.sub(r"[`*#>_]+", " ", text)
