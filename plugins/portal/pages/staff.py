"""`/staff`: the agents' queue (SLA timers) and ticket thread (internal notes, reply), the
reviewers' appeal queue (decide). Each section shows only for roles that may use it; the API
checks every operation again."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from core.plugins import enabled
from core.roles import Role
from plugins.portal.documents import document
from plugins.portal.pages.tickets import load_ticket, reply
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


async def staff_ticket(request: Request) -> Response:
    """An agent's view of one ticket: thread with internal notes, reply or note."""
    found = await _staff_page(request)
    if isinstance(found, Response):
        return found
    page, allowed = found
    if "agent" not in allowed:
        return page.render("error.html", status_code=403, message=page.t("forbidden"))
    ticket_id = request.path_params["id"]
    error = None
    if request.method == "POST":
        form = await page.form()
        if form is None:
            return page.forbidden()
        error = await reply(page, ticket_id, form)
        if error is None:
            return page.redirect(request.url.path)
    ticket = await load_ticket(page, ticket_id)
    if ticket is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    return page.render(
        "ticket.html", ticket=ticket, error=error, staff=True, subscription=document("ticket_events")
    )


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
