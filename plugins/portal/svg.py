"""SVG pictures from the API (QR codes) as `data:` image URLs, so the page needs no inline markup."""

from __future__ import annotations

import base64
import re

_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(\d+)"[^>]*?\bheight="(\d+)"')


def svg_data_url(svg: str) -> str:
    """A standalone `data:image/svg+xml` URL for an inline SVG (namespace and viewBox added so an
    `<img>` can show and scale it)."""
    if "xmlns=" not in svg[:200]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    size = _SIZE.search(svg)
    if size and "viewBox" not in svg[:300]:
        svg = svg.replace("<svg", f'<svg viewBox="0 0 {size.group(1)} {size.group(2)}"', 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
