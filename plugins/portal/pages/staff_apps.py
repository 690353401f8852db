"""`/staff/apps`: the admins' partner apps and webhooks. Create an app (its token is shown once),
rotate its token, revoke it; subscribe its URL to events (the signing secret is shown once),
rotate the secret, delete the subscription; `/staff/webhooks/<id>`: the delivery log with a
redeliver button."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.pages.staff_gate import failed, section_page
from plugins.portal.web import GraphQLFailed, Page

DELIVERY_STATUSES = ("PENDING", "RETRYING", "SUCCEEDED", "FAILED")


def _rate(value: object) -> int:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 7 else -1


def _operation(form) -> tuple[str, str, dict, str] | None:
    """(document, result field, variables, what the answer reveals) for a POSTed action."""
    action, target = form.get("action"), str(form.get("id") or "")[:200]
    if action == "create":
        return "staff_app_create", "appCreate", {"input": {
            "name": str(form.get("name") or "").strip()[:100],
            "permissions": [str(p)[:100] for p in form.getlist("permissions")][:100],
            "rateLimitPerMinute": _rate(form.get("rate")),
        }}, "token"  # fmt: skip
    if action == "rotate":
        return "staff_app_rotate", "appTokenRotate", {"id": target}, "token"
    if action == "revoke":
        return "staff_app_revoke", "appRevoke", {"id": target}, ""
    if action == "webhook-create":
        return "staff_webhook_create", "webhookSubscriptionCreate", {"input": {
            "appId": target, "url": str(form.get("url") or "").strip()[:2000],
            "events": [str(e)[:100] for e in form.getlist("events")][:100],
        }}, "secret"  # fmt: skip
    if action == "webhook-rotate":
        return "staff_webhook_rotate", "webhookSecretRotate", {"id": target}, "secret"
    if action == "webhook-delete":
        return "staff_webhook_delete", "webhookSubscriptionDelete", {"id": target}, ""
    return None


async def _perform(page: Page, form) -> tuple[str | None, dict | None]:
    """Run the form's action: (error message, what to show once: {kind, value, name})."""
    operation = _operation(form)
    if operation is None:
        return page.t("error"), None
    name, field, variables, reveals = operation
    try:
        answer = (await page.execute(name, variables))[field]
    except GraphQLFailed as failure:
        return str(failure), None
    if answer is True or answer is False:  # webhookSubscriptionDelete
        return (None if answer else page.t("not_found_body")), None
    if answer["__typename"] == "PartnerError":
        return answer["message"], None
    if reveals == "token":
        return None, {"kind": "token", "value": answer["token"], "name": answer["app"]["name"]}
    if reveals == "secret":
        return None, {"kind": "secret", "value": answer["secret"], "name": answer["subscription"]["url"]}
    return None, None


async def apps(request: Request) -> Response:
    """The apps (GET) or one of the forms (POST); a new token or secret is shown on this answer
    only (the API stores it hashed)."""
    found = await section_page(request, "admin")
    if isinstance(found, Response):
        return found
    page, allowed = found
    error, revealed = None, None
    if request.method == "POST":
        form = await page.form()
        if form is None:
            return page.forbidden()
        error, revealed = await _perform(page, form)
        if error is None and revealed is None:
            return page.redirect(page.url("/staff/apps", done="1"))
    data = await page.execute("staff_apps")
    return page.render(
        "staff_apps.html", status_code=400 if error else 200, sections=allowed, apps=data["apps"]["nodes"],
        permissions=data["permissions"], events=data["webhookEvents"], error=error, revealed=revealed,
        done=request.query_params.get("done") == "1",
    )  # fmt: skip


async def deliveries(request: Request) -> Response:
    """One subscription's delivery log (GET, `?status=` filter) or a redelivery (POST)."""
    found = await section_page(request, "admin")
    if isinstance(found, Response):
        return found
    page, allowed = found
    subscription = request.path_params["id"]
    if request.method == "POST":
        form = await page.form()
        if form is None:
            return page.forbidden()
        variables = {"id": str(form.get("delivery") or "")[:200]}
        try:
            answer = (await page.execute("staff_webhook_redeliver", variables))["webhookRedeliver"]
        except GraphQLFailed as failure:
            return failed(page, str(failure))
        if answer["__typename"] != "WebhookDelivery":
            return failed(page, answer["message"])
        return page.redirect(page.url(request.url.path, done="1"))
    status = request.query_params.get("status")
    status = status if status in DELIVERY_STATUSES else None
    try:
        data = await page.execute("staff_webhook_deliveries", {"id": subscription, "status": status})
    except GraphQLFailed as failure:
        return failed(page, str(failure), 404 if failure.code == "NOT_FOUND" else 400)
    return page.render("staff_deliveries.html", sections=allowed, subscription=subscription, status=status,
                       statuses=DELIVERY_STATUSES, deliveries=data["webhookDeliveries"]["nodes"],
                       done=request.query_params.get("done") == "1")  # fmt: skip
