"""`/premium`: the catalogue, buying an add-on with coins, and the analytics report with a chart
(server-rendered SVG: people would rather look than read)."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.web import GraphQLFailed, Page

CHART_WIDTH, CHART_HEIGHT = 600, 200


def bar_chart(days: list[dict], field: str = "views") -> dict:
    """Bars (x, y, width, height, label) for a daily series, scaled to the chart box."""
    peak = max([d[field] for d in days] or [0]) or 1
    width = CHART_WIDTH / max(len(days), 1)
    bars = []
    for index, day in enumerate(days):
        height = round(day[field] / peak * (CHART_HEIGHT - 20), 1)
        bars.append({"x": round(index * width, 1), "y": round(CHART_HEIGHT - height, 1),
                     "width": round(max(width - 2, 1), 1), "height": height,
                     "label": f"{day['day']}: {day[field]}"})  # fmt: skip
    return {"bars": bars, "peak": peak, "width": CHART_WIDTH, "height": CHART_HEIGHT}


async def premium(request: Request) -> Response:
    """The catalogue (GET) or a purchase (POST)."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/premium")
    error = None
    if request.method == "POST":
        form = await page.form()
        if form is None:
            return page.forbidden()
        variables = {"input": {"product": str(form.get("product") or "")[:100],
                               "idempotencyKey": str(form.get("key") or "")[:64] or uuid.uuid4().hex}}  # fmt: skip
        try:
            answer = (await page.execute("premium_purchase", variables))["premiumPurchase"]
        except GraphQLFailed as failure:
            answer = {"__typename": "PaymentError", "message": str(failure)}
        if answer["__typename"] == "PremiumSubscription":
            return page.redirect("/premium?done=1")
        error = answer["message"]
    data = await page.execute("premium")
    owned = {s["product"] for s in data["premiumSubscriptions"]}
    return page.render(
        "premium.html", status_code=400 if error else 200, products=data["premiumProducts"], owned=owned,
        subscriptions=data["premiumSubscriptions"], wallet=data["wallet"], error=error, key=uuid.uuid4().hex,
        done=request.query_params.get("done") == "1",
    )  # fmt: skip


async def analytics(request: Request) -> Response:
    """The analytics report with a chart of daily views (or what to buy to see it)."""
    page = Page(request)
    if await page.load_viewer() is None:
        return page.redirect("/login?next=/premium/analytics")
    report = (await page.execute("analytics_report"))["analyticsReport"]
    chart = bar_chart(report["daily"]) if report and report["__typename"] == "AnalyticsReport" else None
    return page.render("analytics.html", report=report, chart=chart)
