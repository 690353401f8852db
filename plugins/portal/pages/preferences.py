"""`POST /preferences`: the theme (and language) chosen in the header, kept in a cookie and, for a
signed-in user, saved to the account (so it follows them to other devices)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal import session
from plugins.portal.web import THEMES, GraphQLFailed, Page


async def preferences(request: Request) -> Response:
    """Save the theme; back to the page the form was on."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    theme = str(form.get("theme") or "")
    if theme in THEMES:
        page.set_cookie(session.THEME_COOKIE, theme, max_age=365 * 86400)
        if page.tokens:
            try:
                await page.execute("preferences", {"input": {"theme": theme.upper()}})
            except GraphQLFailed:
                pass  # a restricted or expired session still keeps the cookie
    return page.redirect(str(form.get("next") or "/"))
