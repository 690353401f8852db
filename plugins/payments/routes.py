"""HTTP routes: provider webhooks (`POST /payments/webhooks/{provider}`) and the sandbox payment
page (`GET|POST /payments/sandbox/pay/{ref}`) that stands in for a real checkout."""

from __future__ import annotations

import html

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from core.http import BodyTooLarge, limited_request, read_body
from plugins.payments.models import RechargeOrder
from plugins.payments.providers import providers, sandbox
from plugins.payments.webhooks import handle_webhook

MAX_WEBHOOK_BYTES = 64 * 1024
MAX_FORM_BYTES = 4 * 1024

_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Sandbox checkout 沙盒收银台</title></head>
<body style="font-family:sans-serif;max-width:32rem;margin:2rem auto">
<h1>Sandbox checkout · 沙盒收银台</h1>
<p>{coins} coins 抖币 — ¥{yuan} ({status})</p>
{body}
<p><small>No real money moves here. 这里不会发生真实扣款。</small></p>
</body></html>"""

_FORM = """<form method="post"><button name="outcome" value="success">Pay · 支付</button>
<button name="outcome" value="failure">Fail · 支付失败</button></form>"""


async def webhook(request: Request) -> Response:
    """A provider's webhook: the raw body is verified as sent (signatures cover the exact bytes)."""
    try:
        body = await read_body(request, MAX_WEBHOOK_BYTES)
    except BodyTooLarge:
        return JSONResponse({"error": "body too large"}, status_code=413)
    services = request.app.state.services
    result = await handle_webhook(services, request.path_params["provider"], request.headers, body)
    return JSONResponse(result.body, status_code=result.status)


def _page(order: RechargeOrder, body: str, status_code: int = 200) -> HTMLResponse:
    text = _PAGE.format(
        coins=order.coins, yuan=f"{order.amount / 100:.2f}", status=html.escape(order.status), body=body
    )
    return HTMLResponse(text, status_code=status_code)


async def sandbox_page(request: Request) -> Response:
    """GET shows the order with Pay / Fail buttons; POST `outcome=success|failure` plays the
    provider: it signs the notification and delivers it to the webhook handler. The page exists only
    while the sandbox provider does (never in production unless an operator turns it on)."""
    if "sandbox" not in providers(request.app.state.services):
        return HTMLResponse("<h1>Not found · 未找到</h1>", status_code=404)
    order = await RechargeOrder.get_or_none(provider_ref=request.path_params["ref"], channel="sandbox")
    if order is None:
        return HTMLResponse("<h1>Not found · 未找到</h1>", status_code=404)
    if request.method == "GET":
        return _page(order, _FORM if order.status == "PENDING" else "")
    try:
        form = await limited_request(request, MAX_FORM_BYTES).form(max_files=0, max_fields=4)
    except BodyTooLarge:
        return _page(order, "<p>request too large</p>", 413)
    outcome = form.get("outcome")
    if outcome not in ("success", "failure"):
        return _page(order, "<p>outcome must be success or failure</p>" + _FORM, 400)
    services = request.app.state.services
    body = sandbox.event_body(order.provider_ref, str(outcome), order.amount, order.currency)
    headers = {sandbox.SIGNATURE_HEADER: sandbox.sign(sandbox.webhook_key(services), body)}
    result = await handle_webhook(services, "sandbox", headers, body)
    await order.refresh_from_db()
    note = html.escape(str(result.body.get("status") or result.body.get("error")))
    return _page(order, f"<p>Provider answered: {note}</p>", 200 if result.status == 200 else 400)


def routes() -> list[Route]:
    """The routes this plugin mounts."""
    return [
        Route("/payments/webhooks/{provider}", webhook, methods=["POST"]),
        Route("/payments/sandbox/pay/{ref}", sandbox_page, methods=["GET", "POST"]),
    ]
