"""`/community`: the forum as the community plugin's API allows it: boards, threads (pinned first),
search, a thread with its replies, starting a thread, replying, up-voting, and accepting an answer
(the thread's author). Reading is public; writing needs a signed-in user."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal import uploads
from plugins.portal.markdown import render as render_markdown
from plugins.portal.web import GraphQLFailed, Page

ACTIONS = {"vote": ("forum_vote", "postId"), "accept": ("forum_accept", "replyId")}


async def _list(page: Page, status_code: int = 200, **values) -> Response:
    board = str(page.request.query_params.get("board") or "")[:50] or None
    query = str(page.request.query_params.get("q") or "").strip()[:200]
    data = await page.execute("community", {"board": board})
    hits = (await page.execute("community_search", {"query": query}))["forumSearch"] if query else None
    return page.render("community.html", status_code=status_code, boards=data["forumBoards"],
                       threads=data["forumThreads"]["nodes"], board=board, query=query, hits=hits,
                       **values)  # fmt: skip


async def community(request: Request) -> Response:
    """Boards and threads (`?board=`), or search results (`?q=`)."""
    page = Page(request)
    await page.load_viewer()
    return await _list(page)


async def create(request: Request) -> Response:
    """POST: start a thread, then open it."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/community")
    variables = {"input": {"board": uploads.text(form, "board", 50), "title": uploads.text(form, "title", 500),
                           "body": uploads.text(form, "body", 20000)}}  # fmt: skip

    async def render(**values) -> Response:
        return await _list(page, draft=variables["input"], **values)

    return await uploads.run(page, "forum_thread_create", variables, render,
                             lambda answer: f"/community/threads/{answer['id']}")  # fmt: skip


async def _thread(page: Page, thread_id: str, status_code: int = 200, **values) -> Response:
    try:
        found = (await page.execute("forum_thread", {"id": thread_id}))["forumThread"]
    except GraphQLFailed:
        found = None
    if found is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    found["html"] = render_markdown(found["body"])
    for reply in found["replies"]["nodes"]:
        reply["html"] = render_markdown(reply["body"])
    mine = bool(page.viewer and found["author"] and found["author"]["id"] == page.viewer["id"])
    return page.render("forum_thread.html", status_code=status_code, thread=found, mine=mine, **values)


async def thread(request: Request) -> Response:
    """GET: one thread; POST: reply to it."""
    page = Page(request)
    thread_id = request.path_params["id"]
    if request.method == "GET":
        await page.load_viewer()
        return await _thread(page, thread_id, done=request.query_params.get("done") == "1")
    form = await page.form()
    if form is None:
        return page.forbidden()
    if await page.load_viewer() is None:
        return page.redirect(f"/login?next=/community/threads/{thread_id}")
    variables = {"input": {"threadId": thread_id, "body": uploads.text(form, "body", 10000)}}
    return await _mutate(page, thread_id, "forum_reply_create", variables)


async def act(request: Request) -> Response:
    """POST vote (a thread or reply) or accept (a reply, by the thread's author)."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    thread_id = request.path_params["id"]
    if await page.load_viewer() is None:
        return page.redirect(f"/login?next=/community/threads/{thread_id}")
    action = ACTIONS.get(request.path_params["action"])
    if action is None:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    document, field = action
    return await _mutate(page, thread_id, document, {"input": {field: uploads.text(form, "post", 100)}})


async def _mutate(page: Page, thread_id: str, document: str, variables: dict) -> Response:
    async def render(**values) -> Response:
        return await _thread(page, thread_id, **values)

    return await uploads.run(page, document, variables, render, f"/community/threads/{thread_id}?done=1")
