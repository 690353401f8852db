"""Browser sessions: one cookie holding the API's access and refresh tokens, and a CSRF token.

The session cookie is `HttpOnly`, `SameSite=Lax` and `Secure` outside development, so page
scripts never see a token; refreshing happens on the server (`web.Page.execute`). Every form
carries the CSRF token, compared in constant time with the `HttpOnly` CSRF cookie (double submit;
SameSite=Lax already keeps other sites' POSTs from carrying either cookie)."""

from __future__ import annotations

import base64
import hmac
import json
import secrets
from dataclasses import dataclass

SESSION_COOKIE = "selfserve_session"
CSRF_COOKIE = "selfserve_csrf"
LANG_COOKIE = "selfserve_lang"
THEME_COOKIE = "selfserve_theme"


@dataclass(frozen=True)
class Tokens:
    """The API tokens of one signed-in browser."""

    access: str
    refresh: str


def decode_tokens(value: str | None) -> Tokens | None:
    """The tokens in a session cookie, or None for a missing or malformed one."""
    if not value or len(value) > 4096:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value.encode("ascii")))
        return Tokens(access=str(data["a"]), refresh=str(data["r"]))
    except (ValueError, KeyError, TypeError):
        return None


def encode_tokens(tokens: Tokens) -> str:
    """The session cookie's value for `tokens`."""
    return base64.urlsafe_b64encode(json.dumps({"a": tokens.access, "r": tokens.refresh}).encode()).decode()


def new_csrf_token() -> str:
    """A fresh random CSRF token."""
    return secrets.token_urlsafe(24)


def csrf_matches(cookie: str | None, submitted: object) -> bool:
    """True when the form's token is the cookie's (constant-time); a file sent as the token is not."""
    if not cookie or not isinstance(submitted, str) or not submitted:
        return False
    return hmac.compare_digest(cookie.encode(), submitted.encode())
