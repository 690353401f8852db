"""`/appeals`: the decisions about the user with their statement of reasons, each appeal with its
progress (status, due time, history, evidence), appealing with evidence upload, and asking a
second reviewer after an upheld appeal. All of it works in a restricted (banned) session."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal import uploads
from plugins.portal.web import Page


def _appealable(decision: dict, appeal: dict | None) -> bool:
    if appeal is not None or decision["reversed"]:
        return False
    until = datetime.fromisoformat(decision["appealableUntil"])
    return (until if until.tzinfo else until.replace(tzinfo=UTC)) > datetime.now(UTC)


async def decisions_with_appeals(page: Page) -> list[dict]:
    """Every decision about the user, newest first, each with its appeal (or None) and whether it
    can be appealed now."""
    data = await page.execute("decisions")
    by_decision = {appeal["decision"]["id"]: appeal for appeal in data["appeals"]["nodes"]}
    found = []
    for decision in sorted(data["decisions"], key=lambda d: d["createdAt"], reverse=True):
        appeal = by_decision.get(decision["id"])
        found.append({**decision, "appeal": appeal, "appealable": _appealable(decision, appeal)})
    return found


async def appeals(request: Request) -> Response:
    """The decisions and appeals page."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/appeals")
    return await _list(page, done=request.query_params.get("done") == "1")


async def _list(page: Page, status_code: int = 200, **values) -> Response:
    return page.render("appeals.html", status_code=status_code, decisions=await decisions_with_appeals(page),
                       **values)  # fmt: skip


async def _form(page: Page, decision_id: str, status_code: int = 200, **values) -> Response:
    decision = next((d for d in await decisions_with_appeals(page) if d["id"] == decision_id), None)
    if decision is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    return page.render("appeal_new.html", status_code=status_code, decision=decision, key=uuid.uuid4().hex,
                       **values)  # fmt: skip


async def new(request: Request) -> Response:
    """GET: the appeal form for `?decision=`; POST: file the appeal with its evidence."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/appeals")
    if request.method == "GET":
        return await _form(page, str(request.query_params.get("decision") or "")[:100])

    def build(form) -> dict:
        return {"input": {"decisionId": uploads.text(form, "decision", 100), "reason": uploads.text(form, "reason"),
                          "evidence": uploads.files(form, "evidence"),
                          "clientMutationId": uploads.text(form, "key", 64) or None}}  # fmt: skip

    async def render(form, **values) -> Response:
        return await _form(
            page, uploads.text(form, "decision", 100), reason=uploads.text(form, "reason"), **values
        )

    return await uploads.submit(page, "appeal_create", build, render, "/appeals?done=1")


async def escalate(request: Request) -> Response:
    """POST: ask a second reviewer to look at an upheld appeal (optional reason and evidence)."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/appeals")

    def build(form) -> dict:
        return {"input": {"appealId": request.path_params["id"], "reason": uploads.text(form, "reason") or None,
                          "evidence": uploads.files(form, "evidence")}}  # fmt: skip

    async def render(form, **values) -> Response:
        return await _list(page, **values)

    return await uploads.submit(page, "appeal_escalate", build, render, "/appeals?done=1")
