"""`/tickets` (mine) and `/tickets/<id>` (the thread, a reply form, and live replies)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.documents import document
from plugins.portal.web import GraphQLFailed, Page


async def tickets(request: Request) -> Response:
    """My tickets."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/tickets")
    data = await page.execute("tickets")
    return page.render("tickets.html", tickets=data["tickets"]["nodes"])


async def load_ticket(page: Page, ticket_id: str) -> dict | None:
    """The ticket if the caller may see it (the API answers null otherwise)."""
    try:
        node = (await page.execute("ticket", {"id": ticket_id}))["node"]
    except GraphQLFailed:
        return None
    return node if node and node.get("__typename") == "Ticket" else None


async def ticket(request: Request) -> Response:
    """One ticket's thread (GET) or a reply to it (POST)."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/tickets")
    ticket_id = request.path_params["id"]
    error = None
    if request.method == "POST":
        form = await page.form()
        if form is None:
            return page.forbidden()
        answer = await reply(page, ticket_id, form)
        if answer is None:
            return page.redirect(request.url.path)
        error = answer
    found = await load_ticket(page, ticket_id)
    if found is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    return page.render(
        "ticket.html", ticket=found, error=error, staff=False, subscription=document("ticket_events")
    )


async def reply(page: Page, ticket_id: str, form) -> str | None:
    """Send a reply; returns the error message, or None when it was sent."""
    body = str(form.get("body") or "").strip()[:10000]
    variables = {"input": {"ticketId": ticket_id, "body": body, "internal": form.get("internal") == "on"}}
    try:
        answer = (await page.execute("ticket_reply", variables))["ticketReply"]
    except GraphQLFailed as failure:
        return str(failure)
    return answer["message"] if answer["__typename"] == "SupportError" else None
