"""QR codes (segno, SVG) that open a self-service page, for posters and the app's QR access path."""

from __future__ import annotations

import functools
import re

import segno

from core.errors import DomainError

_PATH = re.compile(r"^/[A-Za-z0-9\-._~/%?=&#]{0,300}$")


def self_service_url(base_url: str, path: str) -> str:
    """The absolute deep link for `path` (a path on this deployment, never another host)."""
    path = path.strip()
    if not _PATH.match(path) or path.startswith("//") or ".." in path:
        raise DomainError("INVALID_INPUT", field="path", detail="a path starting with / on this site")
    return base_url.rstrip("/") + path


@functools.lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """An SVG QR code for `url` (cached: the same link always gives the same picture)."""
    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=4, border=2, title=url)
