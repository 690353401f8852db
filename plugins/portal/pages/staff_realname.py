"""`/staff/realname`: reviewers see pending real-name submissions with their photos (signed
links valid 5 minutes, every view audited by the API) and approve or reject each one."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.pages.staff_gate import failed, section_page
from plugins.portal.web import GraphQLFailed


async def queue(request: Request) -> Response:
    """The queue, oldest first."""
    found = await section_page(request, "reviewer")
    if isinstance(found, Response):
        return found
    page, allowed = found
    items = (await page.execute("staff_realname_queue"))["realNameQueue"]["nodes"]
    done = request.query_params.get("done")
    return page.render("staff_realname.html", sections=allowed, items=items,
                       done=done if done in ("verified", "rejected") else None)  # fmt: skip


async def decide(request: Request) -> Response:
    """Approve or reject the submission of user `id`."""
    found = await section_page(request, "reviewer")
    if isinstance(found, Response):
        return found
    page, _allowed = found
    form = await page.form()
    if form is None:
        return page.forbidden()
    approve = form.get("decision") == "approve"
    variables = {"input": {"userId": request.path_params["id"], "approve": approve,
                           "note": str(form.get("note") or "").strip()[:2000]}}  # fmt: skip
    try:
        answer = (await page.execute("staff_realname_review", variables))["realNameReview"]
    except GraphQLFailed as failure:
        return failed(page, str(failure))
    if answer["__typename"] != "RealNameVerification":
        return failed(page, answer["message"])
    return page.redirect(page.url("/staff/realname", done=answer["status"].lower()))
