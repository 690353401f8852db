"""Security headers on every HTTP response: `X-Content-Type-Options: nosniff`, `Cache-Control:
no-store` unless a route says the response may be cached (tokens and personal data must not land
in a cache), a Content-Security-Policy on every HTML page and no referrer."""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: For server-rendered pages that bring no script: forms post back to us, nothing else loads.
DEFAULT_HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

_ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))


class SecurityHeadersMiddleware:
    """Add the headers to each response that has not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(name, value) for name, value in _ALWAYS if name not in present]
                if b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html") and b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", DEFAULT_HTML_CSP.encode()))
                message = {**message, "headers": headers + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def graphiql_csp(page: str) -> str:
    """A CSP allowing exactly what the GraphiQL page loads: its pinned CDN scripts and styles (by
    URL), its one inline script and style (by hash), and requests back to this server."""
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    styles = re.findall(r'<link[^>]*\bhref="(https://[^"]+)"', page)
    inline_scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join([*scripts, *map(_sha256, inline_scripts)]),
            # GraphiQL sets style attributes at run time, which hashes cannot cover.
            "style-src 'unsafe-inline' " + " ".join(styles),
            "img-src 'self' data:",
            "font-src data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
