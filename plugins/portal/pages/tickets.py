"""`/tickets` (mine) and `/tickets/<id>` (the thread, a reply form, and live replies)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal import uploads
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
    if request.method == "POST":  # a reply, with attachments when files were chosen
        build = lambda form: reply_variables(ticket_id, form)  # noqa: E731
        render = lambda form, **values: _thread(page, ticket_id, **values)  # noqa: E731
        return await uploads.submit(page, "ticket_reply", build, render, request.url.path)
    return await _thread(page, ticket_id)


async def _thread(page: Page, ticket_id: str, status_code: int = 200, error: str | None = None) -> Response:
    found = await load_ticket(page, ticket_id)
    if found is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    return page.render("ticket.html", status_code=status_code, ticket=found, error=error, staff=False,
                       subscription=document("ticket_events"))  # fmt: skip


def reply_variables(ticket_id: str, form) -> dict:
    """The `ticketReply` input of a reply form (files of its `attachments` input, if any)."""
    body = str(form.get("body") or "").strip()[:10000]
    attachments = uploads.files(form, "attachments")
    return {"input": {"ticketId": ticket_id, "body": body, "internal": form.get("internal") == "on",
                      "attachments": attachments or None}}  # fmt: skip


async def act(request: Request) -> Response:
    """POST solve (the requester marks it solved) or rate (CSAT 1 to 5 with a comment)."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    ticket_id = request.path_params["id"]
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/tickets")
    action = request.path_params["action"]
    if action == "solve":
        name, variables = "ticket_solve", {"ticketId": ticket_id}
    elif action == "rate":
        score = str(form.get("score") or "")
        comment = str(form.get("comment") or "").strip()[:1000] or None
        name, variables = "ticket_rate", {"ticketId": ticket_id, "score": int(score[:2]) if score.isdigit() else 0,
                                          "comment": comment}  # fmt: skip
    else:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    render = lambda **values: _thread(page, ticket_id, **values)  # noqa: E731 - the thread again
    return await uploads.run(page, name, variables, render, f"/tickets/{ticket_id}")


async def reply(page: Page, ticket_id: str, form) -> str | None:
    """Send a reply; returns the error message, or None when it was sent."""
    try:
        answer = (await page.execute("ticket_reply", reply_variables(ticket_id, form)))["ticketReply"]
    except GraphQLFailed as failure:
        return str(failure)
    return answer["message"] if answer["__typename"] == "SupportError" else None
