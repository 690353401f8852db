"""The staff console's reviewer, admin and metrics sections through HTTP: each section only for
its roles (and the API answers FORBIDDEN underneath), CSRF on every form, real-name review with
signed photo links, the help editor (preview, save, versions, revert, media upload), feature
flags, apps and webhooks (token and secret shown once), and the metrics charts."""

from __future__ import annotations

import re

import pytest

from plugins.portal.tests.test_forms_and_sessions import _cookie_header, _csrf, _login
from tests.real_name import SUBMIT, resident_id
from tests.tickets import create_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
ADMIN_PAGES = ["/staff/help", "/staff/flags", "/staff/apps"]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def _staff(portal, *roles):
    account = await portal.signup(roles=roles)
    return account, await _login(portal, account)


async def _get(portal, jar, path):
    return await portal.http.get(path, headers=_cookie_header(jar))


async def _post(portal, jar, path, data, files=None):
    """POST a form with the page's CSRF token."""
    token = CSRF.search((await _get(portal, jar, "/staff")).text).group(1)
    return await portal.http.post(
        path, data={"csrf": token, **data}, files=files, headers=_cookie_header(jar)
    )


async def test_each_section_only_for_its_roles_and_the_api_refuses_underneath(portal):
    assert (await portal.http.get("/staff/flags")).headers["location"] == "/login?next=%2Fstaff%2Fflags"
    user, user_jar = await _staff(portal)
    agent, agent_jar = await _staff(portal, "AGENT")
    reviewer, reviewer_jar = await _staff(portal, "REVIEWER")
    for path in [*ADMIN_PAGES, "/staff/metrics", "/staff/realname"]:
        assert (await _get(portal, user_jar, path)).status_code == 403, path
    for path in ADMIN_PAGES:
        assert (await _get(portal, agent_jar, path)).status_code == 403, path
        assert (await _get(portal, reviewer_jar, path)).status_code == 403, path
    assert (await _get(portal, agent_jar, "/staff/realname")).status_code == 403
    assert (await _get(portal, reviewer_jar, "/staff/metrics")).status_code == 403
    home = (await _get(portal, agent_jar, "/staff")).text
    assert 'href="/staff/metrics"' in home and 'href="/staff/flags"' not in home
    assert 'href="/staff/realname"' not in home
    # a forged admin form from an agent runs nothing
    refused = await _post(portal, agent_jar, "/staff/flags", {"key": "support", "rollout": "0"})
    assert refused.status_code == 403
    # the documents behind the admin pages answer FORBIDDEN to an agent's token
    for query in ["{ featureFlags { key } }", "{ apps { nodes { id } } }", "{ npsTrend { nps } }",
                  "{ feedbackInsights { since } }"]:  # fmt: skip
        body = await portal.gql(query, token=agent.token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", query
    assert (await portal.gql("{ realNameQueue { nodes { photos } } }", token=agent.token))["errors"][0][
        "extensions"
    ]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    "path", ["/staff/realname/x/decide", "/staff/help/x", "/staff/help/x/media", "/staff/flags", "/staff/apps",
             "/staff/webhooks/x"],
)  # fmt: skip
async def test_every_staff_form_refuses_a_post_without_the_csrf_token(portal, path):
    _admin, jar = await _staff(portal, "ADMIN")
    await _csrf(portal, jar, "/staff")
    forged = await portal.http.post(path, data={"csrf": "forged-token-value"}, headers=_cookie_header(jar))
    assert forged.status_code == 403
    assert "selfserve_session" not in forged.headers.get("set-cookie", "")


async def test_a_reviewer_sees_the_photos_through_signed_links_and_approves(portal):
    applicant = await portal.signup(name="Applicant Wu")
    variables = {"input": {"fullName": "吴一", "idNumber": resident_id(sequence="417"), "idFront": None,
                           "selfie": None}}  # fmt: skip
    files = {"input.idFront": ("f.png", PNG, "image/png"), "input.selfie": ("s.png", PNG, "image/png")}
    submitted = await portal.upload(SUBMIT, variables, files, token=applicant.token)
    assert submitted["data"]["accountRealNameSubmit"]["status"] == "PENDING", submitted
    _reviewer, jar = await _staff(portal, "REVIEWER")
    page = await _get(portal, jar, "/staff/realname")
    assert page.status_code == 200 and "吴一" in page.text
    photos = re.findall(r'<img src="(/files/real-name-photo/[^"]+)"', page.text)
    assert len(photos) == 2
    photo = await portal.http.get(photos[0].replace("&amp;", "&"))
    assert photo.status_code == 200 and photo.content == PNG
    decided = await _post(portal, jar, f"/staff/realname/{applicant.id}/decide",
                          {"decision": "approve", "note": "photos match"})  # fmt: skip
    assert decided.status_code == 303 and decided.headers["location"] == "/staff/realname?done=verified"
    me = await portal.gql("{ me { realNameStatus } }", token=applicant.token)
    assert me["data"]["me"]["realNameStatus"] == "VERIFIED"
    again = await _post(
        portal, jar, f"/staff/realname/{applicant.id}/decide", {"decision": "reject", "note": "x"}
    )
    assert again.status_code == 400  # nothing pending any more: the API's typed error, shown
    me = await portal.gql("{ me { realNameStatus } }", token=applicant.token)
    assert me["data"]["me"]["realNameStatus"] == "VERIFIED"


ARTICLE = 'query { helpArticle(slug: "payments-refund") { id version title media { url } } }'


async def test_the_help_editor_previews_saves_reverts_and_uploads(portal):
    admin, jar = await _staff(portal, "ADMIN")
    article = (await portal.gql(ARTICLE, token=admin.token))["data"]["helpArticle"]
    listing = await _get(portal, jar, "/staff/help")
    assert f'href="/staff/help/{article["id"]}"' in listing.text
    path = f"/staff/help/{article['id']}"
    fields = {"title": "Refunds, edited", "summary": "Short.", "body": "# Heading\n\n**bold** <script>x</script>",
              "steps": "Open the wallet\nTap refund", "note": "tighter"}  # fmt: skip
    preview = await _post(portal, jar, path, {**fields, "action": "preview"})
    assert preview.status_code == 200
    assert "<strong>bold</strong>" in preview.text and "<script>x" not in preview.text
    unchanged = (await portal.gql(ARTICLE, token=admin.token))["data"]["helpArticle"]
    assert unchanged["version"] == article["version"]
    saved = await _post(portal, jar, path, {**fields, "action": "save"})
    assert saved.status_code == 303
    edited = (await portal.gql(ARTICLE, token=admin.token))["data"]["helpArticle"]
    assert (edited["title"], edited["version"]) == ("Refunds, edited", article["version"] + 1)
    page = await _get(portal, jar, path)
    assert f'name="version" value="{article["version"]}"' in page.text and "tighter" in page.text
    reverted = await _post(portal, jar, path, {"action": "revert", "version": str(article["version"])})
    assert reverted.status_code == 303
    back = (await portal.gql(ARTICLE, token=admin.token))["data"]["helpArticle"]
    assert back["title"] == article["title"] and back["version"] == article["version"] + 2
    bad = await _post(portal, jar, path, {**fields, "title": "", "action": "save"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text
    uploaded = await _post(portal, jar, path + "/media", {"name": "refund-screen.png", "caption": "Wallet"},
                           files={"file": ("shot.png", PNG, "image/png")})  # fmt: skip
    assert uploaded.status_code == 303, uploaded.text
    media = (await portal.gql(ARTICLE, token=admin.token))["data"]["helpArticle"]["media"]
    assert {"url": "/media/help/refund-screen.png"} in media
    served = await portal.http.get("/media/help/refund-screen.png")
    assert served.status_code == 200 and served.content == PNG
    wrong = await _post(portal, jar, path + "/media", {"name": "x.png"},
                        files={"file": ("x.png", b"not an image at all", "image/png")})  # fmt: skip
    assert wrong.status_code == 400


async def test_flags_toggle_and_rollout(portal):
    admin, jar = await _staff(portal, "ADMIN")
    page = await _get(portal, jar, "/staff/flags")
    assert page.status_code == 200 and 'data-flag="premium.analytics_report"' in page.text
    saved = await _post(portal, jar, "/staff/flags", {"key": "premium.analytics_report", "rollout": "30"})
    assert saved.status_code == 303
    flags = (await portal.gql("{ featureFlags { key enabled rolloutPercent } }", token=admin.token))["data"]
    flag = next(f for f in flags["featureFlags"] if f["key"] == "premium.analytics_report")
    assert (flag["enabled"], flag["rolloutPercent"]) == (False, 30)
    bad = await _post(portal, jar, "/staff/flags", {"key": "premium.analytics_report", "enabled": "on",
                                                    "rollout": "150"})  # fmt: skip
    assert bad.status_code == 400 and 'role="alert"' in bad.text


async def test_apps_token_once_rotate_revoke_and_webhooks(portal):
    admin, jar = await _staff(portal, "ADMIN")
    created = await _post(portal, jar, "/staff/apps", {"action": "create", "name": "CRM", "rate": "60",
                                                       "permissions": "tickets:read"})  # fmt: skip
    assert created.status_code == 200
    token = re.search(r'<code class="secret" data-kind="token">([^<]+)</code>', created.text).group(1)
    viewer = "{ viewer { kind } }"
    app_headers = {"Authorization": f"Bearer {token}"}
    answer = await portal.http.post("/graphql", json={"query": viewer}, headers=app_headers)
    assert answer.json()["data"]["viewer"]["kind"] == "APP"
    listing = await _get(portal, jar, "/staff/apps")
    assert token not in listing.text  # shown once
    app_id = re.search(r'data-app="([^"]+)"', listing.text).group(1)
    rotated = await _post(portal, jar, "/staff/apps", {"action": "rotate", "id": app_id})
    assert 'data-kind="token"' in rotated.text
    stale = await portal.http.post("/graphql", json={"query": viewer}, headers=app_headers)
    assert stale.status_code == 401 and stale.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    hook = await _post(portal, jar, "/staff/apps", {"action": "webhook-create", "id": app_id,
                                                    "url": "http://127.0.0.1:9/hook", "events": "ticket.created"})  # fmt: skip
    assert hook.status_code == 200 and re.search(r'data-kind="secret">whsec_', hook.text)
    subscription = re.search(r'data-subscription="([^"]+)"', hook.text).group(1)
    await create_ticket(portal, await portal.signup())
    await portal.services.jobs.drain()  # the outbox relay records the delivery (and tries it once)
    log = await _get(portal, jar, f"/staff/webhooks/{subscription}")
    assert log.status_code == 200 and "ticket.created" in log.text
    delivery = re.search(r'data-delivery="([^"]+)"', log.text).group(1)
    again = await _post(portal, jar, f"/staff/webhooks/{subscription}", {"delivery": delivery})
    assert again.status_code == 303
    secret = await _post(portal, jar, "/staff/apps", {"action": "webhook-rotate", "id": subscription})
    assert re.search(r'data-kind="secret">whsec_', secret.text)
    revoked = await _post(portal, jar, "/staff/apps", {"action": "revoke", "id": app_id})
    assert revoked.status_code == 303
    assert "revoked" in (await _get(portal, jar, "/staff/apps")).text
    bad = await _post(portal, jar, "/staff/apps", {"action": "create", "name": "", "permissions": "nope:x"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text


async def test_metrics_draw_charts_for_agents_and_insights_for_admins(portal):
    await create_ticket(portal, await portal.signup())
    _agent, agent_jar = await _staff(portal, "AGENT")
    page = await _get(portal, agent_jar, "/staff/metrics")
    assert page.status_code == 200
    for chart in ("chart-times", "chart-breaches", "chart-csat", "chart-containment"):
        assert f'id="{chart}"' in page.text, chart
    assert re.search(r'<dd id="m-tickets">1</dd>', page.text)
    assert 'id="chart-nps"' not in page.text and 'id="weak-spots"' not in page.text
    _admin, admin_jar = await _staff(portal, "ADMIN")
    full = await _get(portal, admin_jar, "/staff/metrics")
    assert 'id="chart-nps"' in full.text and 'id="weak-spots"' in full.text
