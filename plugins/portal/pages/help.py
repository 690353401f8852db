"""Public help pages: `/` (categories, search, popular), `/help/<category>`, `/help/<category>/<slug>`.
They render fully without JavaScript: they are what search engines and QR scanners land on."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.markdown import render as render_markdown
from plugins.portal.svg import svg_data_url
from plugins.portal.web import GraphQLFailed, Page

#: Where each category's "do it now" link goes in the portal.
ACTIONS = {
    "account": ("/account", "action_account"),
    "payments": ("/wallet", "action_wallet"),
    "appeals": ("/appeals", "action_appeals"),
    "content": ("/videos", "action_videos"),
    "premium": ("/premium", "action_premium"),
    "features": ("/community", "action_community"),
    "ads": ("/tickets", "action_tickets"),
    "platform": ("/community", "action_community"),
}
POPULAR = 6


def related_actions(category: str) -> list[tuple[str, str]]:
    """(href, text key) links into the portal for an article of `category`."""
    actions = [ACTIONS[category]] if category in ACTIONS else []
    return [*actions, ("/chat", "action_chat")]


async def home(request: Request) -> Response:
    """The help home; `?q=` searches."""
    page = Page(request)
    await page.load_viewer()
    query = (request.query_params.get("q") or "").strip()[:200]
    data = await page.execute("help_home")
    articles = data["helpArticles"]["nodes"]
    popular = sorted(articles, key=lambda a: -a["helpfulCount"])[:POPULAR]
    hits = (await page.execute("help_search", {"query": query}))["helpSearch"] if query else None
    return page.render(
        "home.html", categories=data["helpCategories"], popular=popular, query=query, hits=hits, path="/"
    )


async def category(request: Request) -> Response:
    """The articles of one category."""
    page = Page(request)
    await page.load_viewer()
    key = request.path_params["category"]
    data = await page.execute("help_category", {"category": key})
    found = next((c for c in data["helpCategories"] if c["key"] == key), None)
    if found is None:
        return not_found(page)
    return page.render(
        "category.html", category=found, articles=data["helpArticles"]["nodes"], path=f"/help/{key}"
    )


async def article(request: Request) -> Response:
    """One article: steps, pictures, video, QR code, related actions, "was this helpful"."""
    page = Page(request)
    await page.load_viewer()
    key, slug = request.path_params["category"], request.path_params["slug"]
    path = f"/help/{key}/{slug}"
    try:
        data = await page.execute("help_article", {"slug": slug, "path": path})
    except GraphQLFailed:
        return not_found(page)
    found = data["helpArticle"]
    if found is None:
        return not_found(page)
    if found["category"]["key"] != key:
        return page.redirect(f"/help/{found['category']['key']}/{slug}")
    qr = svg_data_url(data["helpQrCode"])
    return page.render(
        "article.html",
        article=found,
        body=render_markdown(found["body"]),
        images=[m for m in found["media"] if m["kind"] == "image"],
        videos=[m for m in found["media"] if m["kind"] == "video"],
        actions=related_actions(key),
        qr=qr,
        thanks=request.query_params.get("thanks") == "1",
        path=path,
    )


async def feedback(request: Request) -> Response:
    """POST "was this helpful" (anonymous allowed; the API rate-limits it)."""
    page = Page(request)
    key, slug = request.path_params["category"], request.path_params["slug"]
    form = await page.form()
    if form is None:
        return page.forbidden()
    comment = str(form.get("comment") or "").strip()[:1000] or None
    variables = {"id": str(form.get("id", "")), "helpful": form.get("helpful") == "yes", "comment": comment}
    try:
        await page.execute("help_feedback", variables)
    except GraphQLFailed as failure:
        return page.render("error.html", status_code=400, message=str(failure))
    return page.redirect(f"/help/{key}/{slug}?thanks=1#feedback")


def not_found(page: Page) -> Response:
    """The portal's 404 page."""
    return page.render("error.html", status_code=404, message=page.t("not_found_body"), path=None)
