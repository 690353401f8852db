"""`/staff/metrics`: the support desk dashboard with server-drawn SVG charts: first response and
resolution times, SLA breaches, CSAT, assistant containment week by week (`supportMetrics`, agents
and admins); for admins also the NPS trend (`npsTrend`) and the top weak spots (`feedbackInsights`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from core.plugins import enabled
from plugins.portal.charts import duration_unit, line_chart
from plugins.portal.pages.premium import bar_chart
from plugins.portal.pages.staff_gate import section_page
from plugins.portal.web import Page

WEEKS = 6


def _windows(now: datetime) -> dict[str, str]:
    """The document's variables: the last 30 days and six weeks ending now (w0 oldest)."""
    values = {"since": (now - timedelta(days=30)).isoformat(), "until": now.isoformat()}
    for i in range(WEEKS):
        start = now - timedelta(weeks=WEEKS - i)
        values[f"s{i}"], values[f"u{i}"] = start.isoformat(), (start + timedelta(weeks=1)).isoformat()
    return values


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def support_charts(page: Page, weeks: list[dict]) -> dict:
    """The weekly charts from six `supportMetrics` windows."""
    labels = [w["since"][5:10] for w in weeks]
    first = [w["firstResponseMedianSeconds"] for w in weeks]
    solved = [w["resolutionMedianSeconds"] for w in weeks]
    divisor, unit = duration_unit(first + solved)
    scaled = {page.t("first_response"): [None if v is None else v / divisor for v in first],
              page.t("resolution"): [None if v is None else v / divisor for v in solved]}  # fmt: skip
    return {
        "labels": labels,
        "unit": unit,
        "times": line_chart(scaled, labels, unit=page.t("unit_" + unit)),
        "breaches": bar_chart([{"day": label, "breaches": w["slaBreaches"]} for label, w in zip(labels, weeks, strict=True)], "breaches"),
        "csat": line_chart({"CSAT": [w["csatAverage"] for w in weeks]}, labels, low=1, high=5),
        "containment": line_chart({page.t("containment"): [_percent(w["assistantContainment"]) for w in weeks]},
                                  labels, high=100, unit="%"),
    }  # fmt: skip


def insight_charts(page: Page, data: dict) -> dict:
    """The NPS chart and the weak spots with bar widths (the highest score is the full width)."""
    nps = data["npsTrend"]
    labels = [w["since"][5:10] for w in nps]
    spots = data["feedbackInsights"]["weakSpots"]
    top = max([s["score"] for s in spots] or [1]) or 1
    return {
        "nps": line_chart({"NPS": [w["nps"] for w in nps]}, labels, low=-100, high=100),
        "nps_weeks": nps,
        "spots": [{**s, "width": round(s["score"] / top * 100, 1)} for s in spots],
        "sources": data["feedbackInsights"]["sources"],
    }


async def metrics(request: Request) -> Response:
    """The dashboard."""
    found = await section_page(request, "metrics")
    if isinstance(found, Response):
        return found
    page, allowed = found
    data = await page.execute("staff_metrics", _windows(datetime.now(UTC)))
    weeks = [data[f"w{i}"] for i in range(WEEKS)]
    insights = None
    if "admin" in allowed and enabled(page.services.pm, "feedback"):
        insights = insight_charts(page, await page.execute("staff_insights", {"weeks": WEEKS}))
    return page.render("staff_metrics.html", sections=allowed, total=data["total"], weeks=weeks,
                       charts=support_charts(page, weeks), insights=insights)  # fmt: skip
