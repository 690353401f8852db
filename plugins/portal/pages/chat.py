"""`/chat`: the assistant (follow-ups continue the conversation), its suggested actions and
"talk to a person", which opens a ticket and goes to its page (where replies arrive live)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.web import GraphQLFailed, Page

#: Portal pages for the operations the assistant suggests (by the operation's area).
OPERATION_PAGES = {
    "account": "/account", "session": "/account", "password": "/login/reset", "refund": "/wallet",
    "order": "/wallet", "recharge": "/wallet", "wallet": "/wallet", "appeal": "/appeals",
    "decision": "/appeals", "video": "/videos", "ticket": "/tickets", "premium": "/premium",
}  # fmt: skip


def action_href(action: dict) -> str:
    """Where a suggested action's link goes in the portal."""
    target = action["target"]
    if action["kind"] == "page" and target.startswith("/") and not target.startswith("//"):
        return target
    if action["kind"] == "handoff":
        return "#handoff"
    lowered = target.lower()
    return next((path for word, path in OPERATION_PAGES.items() if word in lowered), "/chat")


async def chat(request: Request) -> Response:
    """GET the empty chat; POST asks (`message`) or hands off (`handoff`)."""
    page = Page(request)
    await page.load_viewer()
    if request.method == "GET":
        return page.render("chat.html", reply=None, question="", conversation="")
    form = await page.form()
    if form is None:
        return page.forbidden()
    conversation = str(form.get("conversation") or "")[:100] or None
    if form.get("handoff") and conversation:
        if page.viewer is None:
            return page.redirect("/login?next=/chat")
        answer = (await page.execute("assistant_handoff", {"id": conversation}))["assistantHandoff"]
        if answer["__typename"] == "Ticket":
            return page.redirect(f"/tickets/{answer['id']}")
        return page.render("chat.html", status_code=400, reply=None, question="", conversation=conversation,
                           error=answer["message"])  # fmt: skip
    question = str(form.get("message") or "").strip()[:2000]
    try:
        reply = (await page.execute(
            "assistant_ask", {"input": {"message": question, "conversationId": conversation}}
        ))["assistantAsk"]  # fmt: skip
    except GraphQLFailed as failure:
        return page.render("chat.html", status_code=400, reply=None, question=question,
                           conversation=conversation or "", error=str(failure))  # fmt: skip
    links = [(action_href(a), a["label"]) for a in reply["actions"] if a["kind"] != "handoff"]
    return page.render(
        "chat.html", reply=reply, question=question, conversation=reply["conversationId"], links=links
    )
