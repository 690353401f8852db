"""`/login` (password, then the second factor when it is on), `/login/reset` (code-based reset) and
`POST /logout`. The API does the checking: its rate limits and second factor apply unchanged."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal import session
from plugins.portal.web import Page


def _next(value: object) -> str:
    text = str(value or "/")
    return text if text.startswith("/") and not text.startswith("//") else "/"


async def login(request: Request) -> Response:
    """GET the form; POST signs in (AuthSession -> cookie; SecondFactorRequired -> ask the code)."""
    page = Page(request)
    if request.method == "GET":
        return page.render("login.html", next=_next(request.query_params.get("next")), step="password")
    form = await page.form()
    if form is None:
        return page.forbidden()
    values = {
        "login": str(form.get("login") or "")[:200],
        "password": str(form.get("password") or "")[:200],
        "otp": str(form.get("otp") or "").strip()[:20] or None,
        "deviceName": "Web browser",
    }
    answer = (await page.execute("login", {"input": values}))["accountLogin"]
    kind = answer["__typename"]
    if kind == "AuthSession":
        page.sign_in(answer)
        theme = answer["user"]["preferences"]["theme"].lower()
        page.set_cookie(session.THEME_COOKIE, theme, max_age=365 * 86400)
        return page.redirect(_next(form.get("next")))
    if kind == "SecondFactorRequired":
        return page.render(
            "login.html", next=_next(form.get("next")), step="otp", login=values["login"],
            password=values["password"], message=answer["message"],
        )  # fmt: skip
    status = 429 if answer.get("code") == "RATE_LIMITED" else 400
    return page.render(
        "login.html", status_code=status, next=_next(form.get("next")), step="password",
        login=values["login"], error=answer["message"],
    )  # fmt: skip


async def reset(request: Request) -> Response:
    """Step 1 sends a code (`send`), step 2 sets the new password with it."""
    page = Page(request)
    if request.method == "GET":
        return page.render("reset.html", step="send")
    form = await page.form()
    if form is None:
        return page.forbidden()
    login_name = str(form.get("login") or "").strip()[:200]
    channel = "SMS" if login_name.lstrip("+").isdigit() else "EMAIL"
    if form.get("step") == "send":
        answer = (await page.execute(
            "request_code", {"input": {"channel": channel, "target": login_name, "purpose": "RESET_PASSWORD"}}
        ))["accountRequestCode"]  # fmt: skip
        error = answer.get("message") if answer["__typename"] == "AccountError" else None
        return page.render("reset.html", step="send" if error else "code", login=login_name, error=error)
    values = {
        "login": login_name,
        "code": str(form.get("code") or "").strip()[:20],
        "newPassword": str(form.get("new_password") or "")[:200],
    }
    answer = (await page.execute("reset_password", {"input": values}))["accountResetPassword"]
    if answer["__typename"] == "AccountError":
        return page.render(
            "reset.html", status_code=400, step="code", login=login_name, error=answer["message"]
        )
    page.sign_out()
    return page.render(
        "login.html", step="password", next="/account", login=login_name, message=page.t("reset_done")
    )


async def logout(request: Request) -> Response:
    """End this browser's API session and forget the cookie."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    if page.tokens:
        await page.execute("logout")
    page.sign_out()
    return page.redirect("/")
