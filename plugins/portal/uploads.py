"""Forms with files (appeal evidence, ID photos, ticket attachments).

The files go into the same GraphQL `Upload` arguments the API's multipart requests fill, by running
the page's document in-process with starlette's `UploadFile`s, so each plugin checks type (by
content), size and count exactly as for an API client. Such a form works without JavaScript (a
plain multipart POST answered with a redirect or the page with its error); `static/upload.js`
sends the same form with upload progress and asks for a JSON answer (`X-Portal-Upload: 1`).

Reading is bounded: only a signed-in page reads a multipart body (the caller checks first), at
most `limit` bytes whatever the framing, and the CSRF token is checked before anything runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.responses import JSONResponse, Response

from core.http import BodyTooLarge, limited_request
from plugins.portal import session

#: 5 evidence files of 20 MB (the largest upload a portal form carries) and the form's fields.
MAX_UPLOAD_BYTES = 5 * 20 * 1024 * 1024 + 256 * 1024
MAX_FILES = 5
UPLOAD_HEADER = "x-portal-upload"


class FormRefused(Exception):
    """The form could not be read (too large, malformed) or its CSRF token is wrong."""

    def __init__(self, too_large: bool = False) -> None:
        super().__init__("form refused")
        self.too_large = too_large


def is_multipart(request: Any) -> bool:
    """True when the browser sent a multipart form (a form with a file input)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "multipart/form-data"


def from_script(request: Any) -> bool:
    """True when `upload.js` sent the form and wants a JSON answer."""
    return request.headers.get(UPLOAD_HEADER) == "1"


async def read(page: Any, limit: int = MAX_UPLOAD_BYTES) -> FormData:
    """The POSTed form, multipart or not, with a matching CSRF token; raises `FormRefused`.
    A form without files goes through the page's 64 kB reader. The caller closes the form."""
    if not is_multipart(page.request):
        form = await page.form()
        if form is None:
            raise FormRefused()
        return form
    try:
        form = await limited_request(page.request, limit).form(
            max_files=MAX_FILES + 1, max_fields=30, max_part_size=64 * 1024
        )
    except BodyTooLarge:
        raise FormRefused(too_large=True) from None
    except Exception:  # python-multipart and starlette raise several kinds for a bad body
        raise FormRefused() from None
    token = form.get("csrf")
    if not session.csrf_matches(
        page.request.cookies.get(session.CSRF_COOKIE), token if isinstance(token, str) else None
    ):
        await form.close()
        raise FormRefused()
    return form


def files(form: Mapping[str, Any], name: str) -> list[UploadFile]:
    """The files chosen in input `name` (a file input left empty sends an unnamed empty part)."""
    chosen = []
    # Any multi-dict (`FormData`, `Page.form()`'s ImmutableMultiDict) may repeat the input.
    multi: Any = form
    values = list(multi.getlist(name)) if hasattr(multi, "getlist") else [form.get(name)]
    for value in values:
        if isinstance(value, UploadFile) and (value.filename or value.size):
            if value.filename and "\x00" in value.filename:
                value.filename = value.filename.replace("\x00", "")  # the API's rule: no NUL in stored text
            chosen.append(value)
    return chosen


def file_or_none(form: FormData, name: str) -> UploadFile | None:
    """The one file of input `name`, or None."""
    chosen = files(form, name)
    return chosen[0] if chosen else None


def done(page: Any, location: str) -> Response:
    """Success: a 303 to `location`, or `{"location": ...}` for the script."""
    if from_script(page.request):
        return page.finish(JSONResponse({"location": location}))
    return page.redirect(location)


async def failed(page: Any, message: str, render: Any, status_code: int = 400) -> Response:
    """Failure: the page again with its error (`await render(status_code=..., error=...)`), or
    `{"error": ...}` for the script, which shows it beside the form."""
    if from_script(page.request):
        return page.finish(JSONResponse({"error": message}, status_code=status_code))
    return await render(status_code=status_code, error=message)


def text(form: Mapping[str, Any], name: str, limit: int = 200) -> str:
    """A text field of a form, trimmed and cut at `limit` characters ("" when absent)."""
    return str(form.get(name) or "").strip()[:limit]


async def run(
    page: Any, document: str, variables: dict, render: Any, location: str | Callable[[Any], str]
) -> Response:
    """Run a mutation `document` and answer: `done(location)` (a string, or a function of the
    mutation's answer), or `failed` with the API's message (a top-level error or the result
    union's error type) and `render(status_code=, error=)` showing the page again."""
    from plugins.portal.web import GraphQLFailed

    try:
        data = await page.execute(document, variables)
    except GraphQLFailed as failure:
        return await failed(page, str(failure), render)
    answer = next(iter(data.values()))
    if str(answer.get("__typename", "")).endswith("Error"):
        return await failed(page, answer["message"], render)
    return done(page, str(location(answer) if callable(location) else location))


async def submit(page: Any, document: str, build: Any, render: Any, location: Any) -> Response:
    """The whole round of an upload form: read it (`read`), then `run` `document` with the
    variables `build(form)` makes (`render(form, ...)` shows the page again). The form's
    temporary files are closed whatever happens."""
    try:
        form = await read(page)
    except FormRefused as failure:
        return refused(page, failure)
    try:
        return await run(page, document, build(form), lambda **values: render(form, **values), location)
    finally:
        await form.close()


def refused(page: Any, failure: FormRefused) -> Response:
    """The answer to a refused form: 413 when too large, else the CSRF page (403)."""
    if failure.too_large:
        message = page.t("file_too_large_total")
        if from_script(page.request):
            return page.finish(JSONResponse({"error": message}, status_code=413))
        return page.render("error.html", status_code=413, message=message)
    if from_script(page.request):
        return page.finish(JSONResponse({"error": page.t("csrf_failed")}, status_code=403))
    return page.forbidden()
