"""`/wallet`: balance, recharge through the provider's page, my orders, refunds."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from plugins.portal.web import GraphQLFailed, Page

RECHARGE_COINS = (60, 300, 980)


async def _render(page: Page, status_code: int = 200, **values) -> Response:
    data = await page.execute("wallet")
    return page.render(
        "wallet.html", status_code=status_code, wallet=data["wallet"], orders=data["orders"]["nodes"],
        amounts=RECHARGE_COINS, key=uuid.uuid4().hex, **values,
    )  # fmt: skip


async def wallet(request: Request) -> Response:
    """The wallet page."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/wallet")
    return await _render(page, done=request.query_params.get("done") == "1")


def _provider_page(page: Page, url: str) -> Response:
    """Go to the provider's payment page (this site's sandbox page keeps the relative form)."""
    own = page.settings.base_url.rstrip("/")
    if url.startswith(own + "/"):
        return page.redirect(url[len(own) :])
    if url.startswith("https://"):
        return page.finish(RedirectResponse(url, status_code=303))
    return page.redirect("/wallet")


async def act(request: Request) -> Response:
    """POST recharge or refund (each form carries its own idempotency key)."""
    page = Page(request)
    form = await page.form()
    if form is None:
        return page.forbidden()
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/wallet")
    key = str(form.get("key") or "")[:64] or uuid.uuid4().hex
    try:
        action = request.path_params["action"]
        if action not in ("recharge", "refund"):
            return page.render("error.html", status_code=404, message=page.t("not_found_body"))
        if action == "recharge":
            coins = int(str(form.get("coins") or "0")) if str(form.get("coins") or "").isdigit() else 0
            variables = {"input": {"coins": coins, "channel": "sandbox", "idempotencyKey": key}}
            answer = (await page.execute("recharge", variables))["rechargeCreate"]
            if answer["__typename"] == "RechargeOrder":
                return _provider_page(page, answer["paymentUrl"])
        else:
            variables = {"input": {"orderId": str(form.get("order") or ""), "idempotencyKey": key,
                                   "reason": str(form.get("reason") or "").strip()[:500]}}  # fmt: skip
            answer = (await page.execute("refund_request", variables))["refundRequest"]
            if answer["__typename"] == "Refund":
                return page.redirect("/wallet?done=1")
    except GraphQLFailed as failure:
        return await _render(page, status_code=400, error=str(failure))
    return await _render(page, status_code=400, error=answer["message"])
