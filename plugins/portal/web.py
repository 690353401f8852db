"""One portal request: its language, theme, CSRF token and session; running the page's GraphQL
documents in-process with the signed-in user's context; rendering a template."""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from core.callers import build_context
from core.http import BodyTooLarge, limited_request
from core.i18n import SUPPORTED_LANGUAGES, negotiate_language, normalize_language
from plugins.portal import session
from plugins.portal.documents import TEMPLATE_DIR, document
from plugins.portal.headers import secure
from plugins.portal.texts import text

THEMES = ("light", "dark", "system")

#: The portal's forms are small: a few fields and a comment.
MAX_FORM_BYTES = 64 * 1024


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment (autoescaping on for every template)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


class GraphQLFailed(Exception):
    """A document answered with top-level errors (the page shows the first one's message)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors[0].get("message", "error"))
        self.errors = errors
        self.code = (errors[0].get("extensions") or {}).get("code", "ERROR")


class Page:
    """Everything one request needs to answer with a page."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.services = request.app.state.services
        self.settings = request.app.state.settings
        self.tokens = session.decode_tokens(request.cookies.get(session.SESSION_COOKIE))
        self.cookies: list[tuple[str, str | None, int | None]] = []
        self.language = self._language()
        self.theme = self._theme()
        self.csrf = request.cookies.get(session.CSRF_COOKIE) or ""
        if len(self.csrf) < 16:
            self.csrf = session.new_csrf_token()
            self.set_cookie(session.CSRF_COOKIE, self.csrf)
        self.viewer: dict[str, Any] | None = None

    # -- preferences -------------------------------------------------------------------------
    def _language(self) -> str:
        asked = normalize_language(self.request.query_params.get("lang"))
        if asked:
            if asked != self.request.cookies.get(session.LANG_COOKIE):
                self.set_cookie(session.LANG_COOKIE, asked, max_age=365 * 86400)
            return asked
        saved = normalize_language(self.request.cookies.get(session.LANG_COOKIE))
        return saved or negotiate_language(self.request.headers.get("accept-language"))

    def _theme(self) -> str:
        saved = self.request.cookies.get(session.THEME_COOKIE)
        return saved if saved in THEMES else "system"

    def t(self, key: str, **params: Any) -> str:
        """A UI text in the page's language."""
        return text(key, self.language, **params)

    def set_cookie(self, name: str, value: str | None, max_age: int | None = None) -> None:
        """Queue a cookie for the response (None deletes it)."""
        self.cookies.append((name, value, max_age))

    def url(self, path: str, **query: Any) -> str:
        """A site-relative URL with query parameters (None values left out)."""
        params = {k: v for k, v in query.items() if v not in (None, "")}
        return path + ("?" + urlencode(params) if params else "")

    def absolute(self, path: str) -> str:
        """The deployment's absolute URL for `path` (canonical and hreflang links)."""
        return self.settings.base_url.rstrip("/") + path

    # -- GraphQL ------------------------------------------------------------------------------
    async def _context(self) -> Any:
        auth = f"Bearer {self.tokens.access}" if self.tokens else "Bearer -"
        context = await build_context(self.services, self.request, authorization=auth)
        context.language = self.language
        return context

    async def execute(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run `templates/<name>.graphql` as the signed-in user (refreshing an expired access token
        once with the refresh token); returns `data` or raises GraphQLFailed."""
        context = await self._context()
        if self.tokens and context.actor is None:
            context = await self._refreshed_context()
        result = await self.request.app.state.schema.execute(
            document(name), variable_values=variables or {}, context_value=context
        )
        if result.errors:
            raise GraphQLFailed([error.formatted for error in result.errors])
        return result.data or {}

    async def _refreshed_context(self) -> Any:
        refresh = self.tokens.refresh if self.tokens else ""
        self.tokens = None
        context = await self._context()
        result = await self.request.app.state.schema.execute(
            document("refresh"), variable_values={"token": refresh}, context_value=context
        )
        answer = (result.data or {}).get("accountRefresh") or {}
        if answer.get("__typename") == "AuthSession":
            self.sign_in(answer)
            return await self._context()
        self.sign_out()
        return context

    def sign_in(self, auth_session: dict[str, Any]) -> None:
        """Keep an `AuthSession`'s tokens in the session cookie."""
        self.tokens = session.Tokens(auth_session["accessToken"], auth_session["refreshToken"])
        self.set_cookie(session.SESSION_COOKIE, session.encode_tokens(self.tokens), max_age=30 * 86400)

    def sign_out(self) -> None:
        """Forget the session cookie."""
        self.tokens = None
        self.set_cookie(session.SESSION_COOKIE, None)

    async def load_viewer(self) -> dict[str, Any] | None:
        """The signed-in user (`me`), or None."""
        if self.tokens is None:
            return None
        data = await self.execute("viewer")
        self.viewer = data.get("me")
        return self.viewer

    # -- forms --------------------------------------------------------------------------------
    async def form(self) -> ImmutableMultiDict[str, str] | None:
        """The POSTed form when its CSRF token matches, else None. At most `MAX_FORM_BYTES` are
        read, whatever the framing (a larger or chunked body is refused like a bad token)."""
        try:
            form = await limited_request(self.request, MAX_FORM_BYTES).form(max_files=0, max_fields=50)
        except BodyTooLarge:
            return None
        # No files are accepted (`max_files=0`): every value is text. `get` answers the last of a
        # repeated name, `getlist` all of them (a group of checkboxes).
        fields = ImmutableMultiDict(
            [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
        )
        if not session.csrf_matches(self.request.cookies.get(session.CSRF_COOKIE), fields.get("csrf")):
            return None
        return fields

    # -- answers ------------------------------------------------------------------------------
    def render(self, template: str, status_code: int = 200, **values: Any) -> Response:
        """Render a template as the page's answer."""
        body = (
            environment()
            .get_template(template)
            .render(page=self, t=self.t, languages=SUPPORTED_LANGUAGES, viewer=self.viewer, **values)
        )
        response = HTMLResponse(body, status_code=status_code)
        response.headers["Content-Language"] = self.language
        response.headers["Cache-Control"] = "no-store" if self.tokens else "private, max-age=0"
        response.headers["Vary"] = "Cookie, Accept-Language"
        return self.finish(response)

    def redirect(self, path: str) -> Response:
        """303 to a site-relative path (never another host)."""
        if not path.startswith("/") or path.startswith("//"):
            path = "/"
        return self.finish(RedirectResponse(path, status_code=303))

    def finish(self, response: Response) -> Response:
        """Apply queued cookies and the security headers."""
        secure_flag = self.settings.env != "development"
        for name, value, max_age in self.cookies:
            if value is None:
                response.delete_cookie(name, path="/", secure=secure_flag, httponly=True, samesite="lax")
            else:
                response.set_cookie(
                    name, value, max_age=max_age, path="/", secure=secure_flag, httponly=True, samesite="lax"
                )
        return secure(response)

    def forbidden(self) -> Response:
        """The answer to a form whose CSRF token is missing or wrong."""
        return self.render("error.html", status_code=403, message=self.t("csrf_failed"))
