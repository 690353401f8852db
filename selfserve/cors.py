"""CORS for browser apps on other origins (Starlette's `CORSMiddleware`).

Only the origins in `SELFSERVE_CORS_ORIGINS` and the deployment's own origin are admitted, each
with credentials (cookies, `Authorization`); any other origin gets no `Access-Control-*` header,
so the browser refuses to hand it the answer. Preflights are cached by the browser for
`SELFSERVE_CORS_MAX_AGE_SECONDS`. Wildcards are never used: a credentialed API must name origins.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware

from core.settings import Settings

#: Request headers a GraphQL client sends.
ALLOWED_HEADERS = [
    "Accept",
    "Accept-Language",
    "Authorization",
    "Content-Type",
    "If-None-Match",
    "X-Client-Platform",
    "X-Request-ID",
]
#: Response headers a browser app may read.
EXPOSED_HEADERS = ["ETag", "Retry-After", "RateLimit", "RateLimit-Policy", "X-Request-ID"]


def add_cors(app: Starlette, settings: Settings) -> None:
    """Admit the configured origins on every route (GraphQL, uploads, health)."""
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_allowed_origins,
        allow_credentials=True,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED_HEADERS,
        max_age=settings.cors_max_age_seconds,
    )
