"""The staff console in Debian's Chromium. Journey 6 at phone and desktop size: a user submits
real-name with photos (through the API), a reviewer opens /staff/realname, the photos load from
their signed links, the reviewer approves and the user is verified. Then every reviewer, admin and
metrics page: axe-core finds nothing serious in either language or theme, nothing scrolls sideways
at 360 px, and screenshots at both sizes go to artifacts/screenshots/."""

from __future__ import annotations

import json
import uuid

import cv2
import httpx
import numpy
import pytest
from axe_playwright_python.async_playwright import Axe

from tests.backends import selected_backend
from tests.browser.portal_live import PASSWORD, SIZES, screenshot, start_portal
from tests.browser.staff_seed import seed_support_history
from tests.browser.test_portal_help import _serious
from tests.browser.test_portal_journeys import sign_in
from tests.live_servers import gql, processes
from tests.real_name import SUBMIT, resident_id

#: The portal's browser tests run on the embedded backend only (they start their own embedded
#: server either way; the services half would only repeat them).
pytestmark = pytest.mark.skipif(selected_backend() == "services", reason="browser tests: embedded half only")

#: Screenshot names of `_admin_pages` in order (staff-realname is journey 6's, with a submission).
SHOT_NAMES = [
    "staff-console",
    "staff-realname-empty",
    "staff-metrics",
    "staff-help",
    "staff-help-edit",
    "staff-flags",
    "staff-apps",
    "staff-webhooks",
]
LOGIN = "mutation($i: AccountLoginInput!) { accountLogin(input: $i) { ... on AuthSession { accessToken } } }"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with processes() as group:
        portal = start_portal(group, tmp_path_factory.mktemp("portal-staff"))
        portal.create_user("reviewer@portal.test", role="reviewer", name="Reviewer Qian")
        portal.create_user("admin@portal.test", role="admin", name="Admin Sun")
        yield portal


def _photo(text: str, colour: tuple[int, int, int]) -> bytes:
    """A real PNG (the browser must decode it: naturalWidth > 0)."""
    image = numpy.full((200, 320, 3), colour, dtype=numpy.uint8)
    cv2.rectangle(image, (20, 20), (300, 180), (255, 255, 255), 3)
    cv2.putText(image, text, (40, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2)
    return cv2.imencode(".png", image)[1].tobytes()


async def _submit_real_name(base: str, token: str, sequence: str) -> dict:
    variables = {"input": {"fullName": "李小明", "idNumber": resident_id(sequence=sequence), "idFront": None,
                           "idBack": None, "selfie": None}}  # fmt: skip
    fields = ["idFront", "idBack", "selfie"]
    files = {
        str(i): (f"{f}.png", _photo(f, (40 + 60 * i, 90, 140)), "image/png") for i, f in enumerate(fields)
    }
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/graphql",
            data={"operations": json.dumps({"query": SUBMIT, "variables": variables}),
                  "map": json.dumps({str(i): [f"variables.input.{f}"] for i, f in enumerate(fields)})},
            files=files, headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
    return response.json()["data"]["accountRealNameSubmit"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_journey_a_reviewer_approves_real_name_after_viewing_the_photos(browser, portal, size):
    sequence = {"phone": "521", "desktop": "523"}[size]
    user = await portal.register(f"rn-{uuid.uuid4().hex[:8]}@portal.test", "Xiaoming")
    submitted = await _submit_real_name(portal.base, user["accessToken"], sequence)
    assert submitted["status"] == "PENDING", submitted
    user_id = user["user"]["id"]
    context = await browser.new_context(viewport=SIZES[size], locale="zh-CN")
    try:
        page = await context.new_page()
        await sign_in(page, portal.base, "reviewer@portal.test")
        await page.goto(portal.base + "/staff")
        await page.click("a[href='/staff/realname']")
        card = page.locator(f"li[data-user='{user_id}']")
        assert await card.locator("img").count() == 3
        await page.wait_for_function(
            "id => [...document.querySelectorAll(`li[data-user='${id}'] img`)]"
            ".every(i => i.complete && i.naturalWidth > 0)", arg=user_id, timeout=10000,
        )  # fmt: skip
        await screenshot(page, "staff-realname", size)
        await card.locator("textarea").fill("证件与自拍一致")
        await card.locator("button[value=approve]").click()
        await page.wait_for_url("**/staff/realname?done=verified")
        assert await page.locator(f"li[data-user='{user_id}']").count() == 0
        me = await gql(portal.base, "{ me { realNameStatus } }", token=user["accessToken"])
        assert me["data"]["me"]["realNameStatus"] == "VERIFIED"
    finally:
        await context.close()


async def _admin_pages(portal) -> list[str]:
    """Every staff page an admin has, with the ids the detail pages need (made through the API)."""
    token = (await gql(portal.base, LOGIN, {"i": {"login": "admin@portal.test", "password": PASSWORD}}))[
        "data"
    ]["accountLogin"]["accessToken"]
    await seed_support_history(portal, token)
    article = (await gql(portal.base, '{ helpArticle(slug: "payments-refund") { id } }'))["data"][
        "helpArticle"
    ]
    app = await gql(
        portal.base,
        "mutation($i: AppCreateInput!) { appCreate(input: $i) { ... on AppCreated { app { id } } } }",
        {"i": {"name": "Helpdesk sync", "permissions": ["tickets:read"]}}, token=token,
    )  # fmt: skip
    hook = await gql(
        portal.base,
        "mutation($i: WebhookSubscriptionCreateInput!) { webhookSubscriptionCreate(input: $i) {"
        " ... on WebhookSubscriptionCreated { subscription { id } } } }",
        {"i": {"appId": app["data"]["appCreate"]["app"]["id"], "url": "http://127.0.0.1:9/hook",
               "events": ["ticket.created"]}}, token=token,
    )  # fmt: skip
    subscription = hook["data"]["webhookSubscriptionCreate"]["subscription"]["id"]
    return ["/staff", "/staff/realname", "/staff/metrics", "/staff/help", f"/staff/help/{article['id']}",
            "/staff/flags", "/staff/apps", f"/staff/webhooks/{subscription}"]  # fmt: skip


async def test_staff_pages_pass_axe_in_both_languages_and_themes_without_sideways_scroll(browser, portal):
    paths = await _admin_pages(portal)
    axe = Axe()
    problems: dict[str, object] = {}
    # both languages and both themes, each page twice (the cross product would double a slow test)
    for language, scheme in (("zh-CN", "light"), ("en", "dark")):
        context = await browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
        try:
            page = await context.new_page()
            await sign_in(page, portal.base, "admin@portal.test")
            for path in paths:
                await page.goto(f"{portal.base}{path}?lang={language}")
                found = _serious(await axe.run(page))
                if found:
                    problems[f"{path} {language} {scheme}"] = found
                overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    problems[f"{path} {language} {scheme} (scroll)"] = overflow
                if language == "zh-CN":
                    for size, viewport in SIZES.items():
                        await page.set_viewport_size(viewport)
                        await screenshot(page, SHOT_NAMES[paths.index(path)], size)
                    await page.set_viewport_size({"width": 360, "height": 740})
        finally:
            await context.close()
    assert problems == {}
