"""`/staff/flags`: the admins' feature flags: on or off for everyone and the rollout percentage
(sticky per user), through `featureFlagUpdate` (the API audits each change)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from plugins.portal.pages.staff_gate import section_page
from plugins.portal.web import GraphQLFailed


def _percent(value: object) -> int:
    """The form's percentage as an int (-1 for anything that is not a number, which the API
    refuses with a typed error)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else -1


async def flags(request: Request) -> Response:
    """The flags (GET) or one flag's new setting (POST)."""
    found = await section_page(request, "admin")
    if isinstance(found, Response):
        return found
    page, allowed = found
    error = None
    if request.method == "POST":
        form = await page.form()
        if form is None:
            return page.forbidden()
        key = str(form.get("key") or "")[:200]
        variables = {"input": {"key": key, "enabled": form.get("enabled") == "on",
                               "rolloutPercent": _percent(form.get("rollout"))}}  # fmt: skip
        try:
            answer = (await page.execute("staff_flag_update", variables))["featureFlagUpdate"]
            error = None if answer["__typename"] == "FeatureFlag" else answer["message"]
        except GraphQLFailed as failure:
            error = str(failure)
        if error is None:
            return page.redirect(page.url("/staff/flags", done=key) + f"#flag-{key.replace('.', '-')}")
    data = await page.execute("staff_flags")
    return page.render("staff_flags.html", status_code=400 if error else 200, sections=allowed,
                       flags=data["featureFlags"], error=error, done=request.query_params.get("done"))  # fmt: skip
