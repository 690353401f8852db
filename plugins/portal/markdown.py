"""Article bodies: Markdown to HTML with raw HTML disabled (markdown-it's safe `js-default` preset)."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt


@functools.cache
def _renderer() -> MarkdownIt:
    return MarkdownIt("js-default")


@functools.lru_cache(maxsize=512)
def render(source: str) -> str:
    """The body as HTML (headings shifted below the page's h1)."""
    html = _renderer().render(source)
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
