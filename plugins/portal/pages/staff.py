"""`/staff`: the agents' queue (SLA timers) and ticket thread (internal notes, reply, macros,
assignment), the
reviewers' appeal queue (decide). Each section shows only for roles that may use it; the API
checks every operation again."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from core.plugins import enabled
from core.roles import Role
from plugins.portal.pages import staff_ticket_tools
from plugins.portal.pages.tickets import reply
from plugins.portal.web import GraphQLFailed, Page

AGENT_ROLES = {Role.AGENT, Role.ADMIN}
REVIEWER_ROLES = {Role.REVIEWER, Role.ADMIN}


def sections(viewer: dict | None) -> set[str]:
    """The staff sections `viewer` may see: agent, reviewer, metrics (agents and admins) and admin."""
    roles = set((viewer or {}).get("roles") or [])
    found = ({"agent"} if roles & AGENT_ROLES else set()) | (
        {"reviewer"} if roles & REVIEWER_ROLES else set()
    )
    found |= {"metrics"} if roles & AGENT_ROLES else set()
    return found | ({"admin"} if "ADMIN" in roles else set())


async def _staff_page(request: Request) -> tuple[Page, set[str]] | Response:
    page = Page(request)
    viewer = await page.load_viewer()
    if viewer is None:
        return page.redirect("/login?next=/staff")
    allowed = sections(viewer)
    if not allowed:
        return page.render("error.html", status_code=403, message=page.t("forbidden"))
    return page, allowed


async def console(request: Request) -> Response:
    """The console home: the queues the viewer may work."""
    found = await _staff_page(request)
    if isinstance(found, Response):
        return found
    page, allowed = found
    queue = (await page.execute("staff_queue"))["tickets"]["nodes"] if "agent" in allowed else []
    reviews = "reviewer" in allowed and enabled(page.services.pm, "appeals")
    appeals = (await page.execute("appeal_queue"))["appealQueue"]["nodes"] if reviews else []
    return page.render("staff.html", sections=allowed, queue=queue, appeals=appeals,
                       done=request.query_params.get("done") == "1")  # fmt: skip


async def _agent_page(request: Request) -> Page | Response:
    """The page for an agent's section, or the answer for anyone else (login redirect, 403)."""
    found = await _staff_page(request)
    if isinstance(found, Response):
        return found
    page, allowed = found
    if "agent" not in allowed:
        return page.render("error.html", status_code=403, message=page.t("forbidden"))
    return page


async def staff_ticket(request: Request) -> Response:
    """An agent's view of one ticket: thread with internal notes, reply or note, macros, assignment."""
    page = await _agent_page(request)
    if isinstance(page, Response):
        return page
    ticket_id = request.path_params["id"]
    error = None
    if request.method == "POST":
        form = await page.form()
        if form is None:
            return page.forbidden()
        error = await reply(page, ticket_id, form)
        if error is None:
            return page.redirect(request.url.path)
    return await staff_ticket_tools.render_ticket(page, ticket_id, error=error)


async def staff_ticket_action(request: Request) -> Response:
    """An agent's POST from the ticket page's tools: apply a macro or assign the ticket."""
    page = await _agent_page(request)
    if isinstance(page, Response):
        return page
    return await staff_ticket_tools.handle(page, request)


async def appeal_decide(request: Request) -> Response:
    """A reviewer's decision on one appeal."""
    found = await _staff_page(request)
    if isinstance(found, Response):
        return found
    page, allowed = found
    form = await page.form()
    if form is None:
        return page.forbidden()
    if "reviewer" not in allowed:
        return page.render("error.html", status_code=403, message=page.t("forbidden"))
    outcome = "OVERTURN" if form.get("outcome") == "overturn" else "UPHOLD"
    variables = {"input": {"appealId": request.path_params["id"], "outcome": outcome,
                           "note": str(form.get("note") or "").strip()[:5000]}}  # fmt: skip
    try:
        answer = (await page.execute("appeal_decide", variables))["appealDecide"]
    except GraphQLFailed as failure:
        return page.render("error.html", status_code=400, message=str(failure))
    if answer["__typename"] != "Appeal":
        return page.render("error.html", status_code=400, message=answer["message"])
    return page.redirect("/staff?done=1")
