"""`/graphiql`: the GraphQL IDE from local files (development and test only, like the API's IDE).

Its scripts are all same-origin files; GraphiQL's editors add `<style>` elements at run time, so
this one page allows inline styles (never inline scripts)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from plugins.portal.headers import CSP, secure
from plugins.portal.web import environment


async def graphiql(request: Request) -> Response:
    """The IDE page, or 404 in production."""
    if request.app.state.settings.is_production:
        return secure(HTMLResponse("not found", status_code=404))
    response = HTMLResponse(environment().get_template("graphiql.html").render())
    response.headers["Content-Security-Policy"] = (
        CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("img-src 'self' data:", "img-src 'self' data: blob:")
        .replace("font-src", "font-src")
    )
    return secure(response)
