"""The door of every `/staff/...` section page: signed in (else to /login), holding a role of the
section (else 403). The API checks each operation again, so a page shown by mistake still runs
nothing the role may not do."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.pages.staff import sections
from plugins.portal.web import Page


async def section_page(request: Request, section: str) -> tuple[Page, set[str]] | Response:
    """(page, the viewer's sections) when the viewer may use `section`, else the answer to send."""
    page = Page(request)
    viewer = await page.load_viewer()
    if viewer is None:
        return page.redirect(page.url("/login", next=request.url.path))
    allowed = sections(viewer)
    if section not in allowed:
        return page.render("error.html", status_code=403, message=page.t("forbidden"))
    return page, allowed


def failed(page: Page, message: str, status_code: int = 400) -> Response:
    """An error page for a refused staff operation."""
    return page.render("error.html", status_code=status_code, message=message)
