"""`/account` additions: real-name verification with ID photos (multipart, the same `Upload`
arguments an app sends) and account deletion (the API takes the password as its re-authentication;
after the request the browser is signed out, since signing in again cancels the deletion)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal import uploads
from plugins.portal.pages.account import _page as account_page
from plugins.portal.web import GraphQLFailed, Page


async def real_name(request: Request) -> Response:
    """POST: submit name, ID number and photos for verification."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/account")

    def build(form) -> dict:
        return {"input": {"fullName": uploads.text(form, "full_name", 100), "idNumber": uploads.text(form, "id_number", 40),
                          "idFront": uploads.file_or_none(form, "id_front"),
                          "idBack": uploads.file_or_none(form, "id_back"),
                          "selfie": uploads.file_or_none(form, "selfie")}}  # fmt: skip

    async def render(form, **values) -> Response:
        return await account_page(page, real_name_error=values.pop("error", None), **values)

    return await uploads.submit(page, "real_name_submit", build, render, "/account?done=1#real-name")


async def delete(request: Request) -> Response:
    """POST: request deletion with the password, then sign this browser out."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/account")
    try:
        answer = (await page.execute("account_deletion", {"password": uploads.text(form, "password")}))[
            "accountDeletionRequest"
        ]
    except GraphQLFailed as failure:
        return await account_page(page, status_code=400, delete_error=str(failure))
    if answer["__typename"] != "DeletionScheduled":
        return await account_page(page, status_code=400, delete_error=answer["message"])
    try:
        await page.execute("logout")
    finally:
        page.sign_out()
        page.viewer = None
    date = answer["deleteAfter"][:10]
    return page.render("account_deleted.html", message=page.t("deletion_scheduled", date=date))
