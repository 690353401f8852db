"""An agent's ticket tools on `/staff/tickets/<id>`: apply a canned reply (`ticketApplyMacro`,
optionally as an internal note) and assign the ticket (`ticketAssign`, to the signed-in agent or to
the least-loaded available one). Each is a CSRF-checked, non-multipart POST that redirects back to
the ticket; the API checks the agent role again."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.documents import document
from plugins.portal.pages.tickets import load_ticket
from plugins.portal.web import GraphQLFailed, Page


async def load_tools(page: Page, ticket_id: str) -> dict:
    """The macros to offer and the ticket's assignee (empty when the API answers an error)."""
    try:
        data = await page.execute("staff_ticket_tools", {"id": ticket_id})
    except GraphQLFailed:
        return {"macros": [], "assignee": None}
    node = data.get("node") or {}
    return {"macros": data.get("supportMacros") or [], "assignee": node.get("assignee")}


async def render_ticket(
    page: Page, ticket_id: str, error: str | None = None, status_code: int = 200
) -> Response:
    """The agent's ticket page (thread, reply form and these tools), with `error` shown if any."""
    ticket = await load_ticket(page, ticket_id)
    if ticket is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    return page.render("ticket.html", status_code=status_code, ticket=ticket, error=error, staff=True,
                       tools=await load_tools(page, ticket_id), subscription=document("ticket_events"))  # fmt: skip


async def macro(page: Page, ticket_id: str, form: Mapping[str, str]) -> Response:
    """POST `/staff/tickets/<id>/macro`: reply with the chosen canned reply."""
    variables = {"ticketId": ticket_id, "macroId": str(form.get("macro") or "")[:200],
                 "internal": form.get("internal") == "on"}  # fmt: skip
    return await _run(page, ticket_id, "staff_ticket_macro", "ticketApplyMacro", variables)


async def assign(page: Page, ticket_id: str, form: Mapping[str, str]) -> Response:
    """POST `/staff/tickets/<id>/assign`: `to=me` assigns the signed-in agent, `to=auto` lets the
    API pick the least-loaded available agent (the API has no unassign)."""
    agent_id = (page.viewer or {}).get("id") if form.get("to") == "me" else None
    variables = {"ticketId": ticket_id, "agentId": agent_id}
    return await _run(page, ticket_id, "staff_ticket_assign", "ticketAssign", variables)


async def _run(page: Page, ticket_id: str, name: str, field: str, variables: dict) -> Response:
    try:
        answer = (await page.execute(name, variables))[field]
    except GraphQLFailed as failure:  # e.g. an ID that is not a macro's: shown, never a 500
        return await render_ticket(page, ticket_id, error=str(failure), status_code=400)
    if answer["__typename"] == "SupportError":
        return await render_ticket(page, ticket_id, error=answer["message"], status_code=400)
    return page.redirect(f"/staff/tickets/{ticket_id}")


ACTIONS = {"macro": macro, "assign": assign}


async def handle(page: Page, request: Request) -> Response:
    """Dispatch a tools POST by its `action` path parameter (404 for any other)."""
    action = ACTIONS.get(request.path_params["action"])
    if action is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    form = await page.form()
    if form is None:
        return page.forbidden()
    return await action(page, request.path_params["id"], form)
