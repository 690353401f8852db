"""`/account`: sessions with revoke, security events with "this wasn't me", binding an email or
phone with a code (after re-authenticating), two-step setup with its QR code, preferences."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.svg import svg_data_url
from plugins.portal.web import GraphQLFailed, Page


def _channel(target: str) -> str:
    return "SMS" if target.lstrip("+").isdigit() else "EMAIL"


async def _page(page: Page, status_code: int = 200, **values) -> Response:
    data = await page.execute("account")
    return page.render("account.html", status_code=status_code, me=data["me"], path=None, **values)


async def account(request: Request) -> Response:
    """The account page (signed-in only)."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/account")
    return await _page(page, done=request.query_params.get("done") == "1")


def _error(answer: dict) -> str | None:
    return answer.get("message") if answer.get("__typename") == "AccountError" else None


async def act(request: Request) -> Response:
    """One account form: revoke, event, reauth, code, bind, 2fa-setup, 2fa-enable, preferences."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/account")
    action = request.path_params["action"]
    try:
        return await _act(page, action, form)
    except GraphQLFailed as failure:
        return await _page(page, status_code=400, error=str(failure))


async def _act(page: Page, action: str, form) -> Response:
    field = lambda name: str(form.get(name) or "").strip()[:300]  # noqa: E731 - one-line accessor
    if action == "revoke":
        await page.execute("session_revoke", {"id": field("id")})
    elif action == "event":
        answer = (await page.execute(
            "security_event_confirm", {"id": field("id"), "wasMe": field("was_me") == "yes"}
        ))["accountSecurityEventConfirm"]  # fmt: skip
        if _error(answer):
            return await _page(page, status_code=400, error=_error(answer))
        if field("was_me") != "yes":
            page.sign_out()  # "this wasn't me" signs out everywhere; the reset page comes next
            return page.redirect("/login/reset")
    elif action == "reauth":
        answer = (await page.execute("reauthenticate", {"input": {"password": field("password")}}))[
            "accountReauthenticate"
        ]
        if _error(answer):
            return await _page(page, status_code=400, error=_error(answer))
        return await _page(page, reauthenticated=True)
    elif action == "code":
        target = field("target")
        answer = (await page.execute(
            "request_code", {"input": {"channel": _channel(target), "target": target, "purpose": "VERIFY_CONTACT"}}
        ))["accountRequestCode"]  # fmt: skip
        if _error(answer):
            return await _page(page, status_code=400, error=_error(answer), reauthenticated=True)
        return await _page(page, reauthenticated=True, bind_target=target)
    elif action == "bind":
        target = field("target")
        answer = (await page.execute(
            "bind_contact", {"input": {"channel": _channel(target), "target": target, "code": field("code")}}
        ))["accountBindContact"]  # fmt: skip
        if _error(answer):
            return await _page(
                page, status_code=400, error=_error(answer), reauthenticated=True, bind_target=target
            )
    elif action == "2fa-setup":
        answer = (await page.execute("two_factor_setup"))["accountTwoFactorSetup"]
        if _error(answer):
            return await _page(page, status_code=400, error=_error(answer))
        qr = svg_data_url(answer["qrCodeSvg"])
        return await _page(page, setup=answer, setup_qr=qr)
    elif action == "2fa-enable":
        answer = (await page.execute("two_factor_enable", {"code": field("code")}))["accountTwoFactorEnable"]
        if _error(answer):
            return await _page(page, status_code=400, error=_error(answer))
        return await _page(page, recovery_codes=answer["codes"])
    elif action == "preferences":
        values = {"language": field("language") or None, "theme": field("theme").upper() or None}
        await page.execute("preferences", {"input": values})
    else:
        return page.render("error.html", status_code=404, message=page.t("not_found_body"))
    return page.redirect("/account?done=1")
