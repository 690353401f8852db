"""`/staff/help`: the admins' help article editor. Edit the Markdown body and fields with a
preview before saving, publish or unpublish, upload a screenshot or video (`helpMediaUpload`),
and see the saved versions with a revert for each (`helpArticleRevert`)."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.markdown import render as render_markdown
from plugins.portal.pages.staff_gate import failed, section_page
from plugins.portal.staff_uploads import upload_form, uploaded_file
from plugins.portal.web import GraphQLFailed, Page

#: The API allows 50 MB videos; the multipart framing adds a little.
MAX_UPLOAD_BYTES = 51 * 1024 * 1024
#: An article's form (multipart from the browser; a form-encoded Chinese body is nine bytes a character).
MAX_EDIT_BYTES = 1024 * 1024
VIDEO_NAME = re.compile(r"\.(mp4|webm)$", re.IGNORECASE)


async def articles(request: Request) -> Response:
    """Every article in the page's language, by category."""
    found = await section_page(request, "admin")
    if isinstance(found, Response):
        return found
    page, allowed = found
    data = await page.execute("staff_help_articles")
    return page.render("staff_help_list.html", sections=allowed, categories=data["helpCategories"],
                       articles=data["helpArticles"]["nodes"])  # fmt: skip


async def _load(page: Page, article_id: str) -> tuple[dict | None, list[dict]]:
    try:
        data = await page.execute("staff_help_article", {"id": article_id})
    except GraphQLFailed:
        return None, []
    node = data.get("node")
    if not node or node.get("__typename") != "HelpArticle":
        return None, []
    return node, data.get("helpArticleVersions") or []


def _edited(form) -> dict:
    """The editor's fields as `HelpArticleUpdateInput` values (steps: one per line)."""
    steps = [line.strip() for line in str(form.get("steps") or "").splitlines() if line.strip()]
    return {
        "title": str(form.get("title") or "").strip()[:300],
        "summary": str(form.get("summary") or "").strip()[:2000],
        "body": str(form.get("body") or "")[:100_000],
        "steps": steps[:50],
        "note": str(form.get("note") or "").strip()[:300],
    }


async def _run(page: Page, name: str, field: str, variables: dict) -> str | None:
    """Run a mutation; None when it worked, else the message to show."""
    try:
        answer = (await page.execute(name, variables))[field]
    except GraphQLFailed as failure:
        return str(failure)
    return None if answer["__typename"] in ("HelpArticle", "HelpMedia") else answer["message"]


async def editor(request: Request) -> Response:
    """The editor (GET), or one of its forms (POST `action`: preview, save, publish, revert)."""
    found = await section_page(request, "admin")
    if isinstance(found, Response):
        return found
    page, allowed = found
    form, too_large = (
        await upload_form(request, MAX_EDIT_BYTES) if request.method == "POST" else (None, False)
    )
    if request.method == "POST" and form is None:
        return failed(page, page.t("file_too_large"), 413) if too_large else page.forbidden()
    article_id = request.path_params["id"]
    article, versions = await _load(page, article_id)
    if article is None:
        return failed(page, page.t("not_found_body"), 404)
    draft, preview, error = None, None, None
    if form is not None:
        action = form.get("action")
        if action == "preview":
            draft = _edited(form)
            preview = render_markdown(draft["body"])
        elif action == "save":
            draft = _edited(form)
            error = await _run(
                page, "staff_help_update", "helpArticleUpdate", {"input": {"id": article_id, **draft}}
            )
        elif action == "publish":
            variables = {"id": article_id, "published": form.get("published") == "true"}
            error = await _run(page, "staff_help_publish", "helpArticlePublish", variables)
        elif action == "revert":
            version = str(form.get("version") or "")
            variables = {"input": {"id": article_id, "version": int(version) if version.isdigit() else -1,
                                   "note": str(form.get("note") or "").strip()[:300]}}  # fmt: skip
            error = await _run(page, "staff_help_revert", "helpArticleRevert", variables)
        else:
            error = page.t("error")
        if error is None and action != "preview":
            return page.redirect(page.url(request.url.path, done=action))
    return page.render(
        "staff_help_edit.html", status_code=400 if error else 200, sections=allowed, article=article,
        versions=versions, draft=draft, preview=preview, error=error, done=request.query_params.get("done"),
    )  # fmt: skip


async def media(request: Request) -> Response:
    """Upload a file for one of the article's media names (or a new name, added to the article)."""
    found = await section_page(request, "admin")
    if isinstance(found, Response):
        return found
    page, _allowed = found
    form, too_large = await upload_form(request, MAX_UPLOAD_BYTES)
    if form is None:
        return failed(page, page.t("file_too_large"), 413) if too_large else page.forbidden()
    article_id = request.path_params["id"]
    article, _versions = await _load(page, article_id)
    if article is None:
        return failed(page, page.t("not_found_body"), 404)
    name = str(form.get("name") or "").strip()[:200]
    file = uploaded_file(form, "file")
    if file is None:
        return failed(page, page.t("file_missing"))
    error = await _run(
        page, "staff_help_media_upload", "helpMediaUpload", {"input": {"name": name, "file": file}}
    )
    url = f"/media/help/{name}"
    if error is None and url not in [m["url"] for m in article["media"]]:
        kind = "video" if VIDEO_NAME.search(name) else "image"
        caption = str(form.get("caption") or "").strip()[:300]
        media_list = [{"kind": m["kind"], "url": m["url"], "caption": m["caption"]} for m in article["media"]]
        media_list.append({"kind": kind, "url": url, "caption": caption})
        variables = {"input": {"id": article_id, "media": media_list, "note": f"media {name}"}}
        error = await _run(page, "staff_help_update", "helpArticleUpdate", variables)
    if error is not None:
        return failed(page, error)
    return page.redirect(page.url(f"/staff/help/{article_id}", done="upload"))
