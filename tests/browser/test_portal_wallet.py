"""Journey 5 in Debian's Chromium at phone and desktop size: recharge through the sandbox
provider's page, buy the analytics add-on, see its report with a chart, ask for a refund."""

from __future__ import annotations

import uuid

import pytest
from axe_playwright_python.async_playwright import Axe

from schema.relay import from_global_id
from tests.backends import selected_backend
from tests.browser.portal_live import SIZES, screenshot, start_portal
from tests.browser.test_portal_help import _serious
from tests.browser.test_portal_journeys import sign_in
from tests.live_servers import processes

#: The portal's browser tests run on the embedded backend only (they start their own embedded
#: server either way; the services half would only repeat them).
pytestmark = pytest.mark.skipif(selected_backend() == "services", reason="browser tests: embedded half only")


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with processes() as group:
        yield start_portal(group, tmp_path_factory.mktemp("portal-wallet"))


async def _recharge(page, base: str, coins: int) -> None:
    await page.goto(base + "/wallet")
    await page.select_option("#coins", str(coins))
    await page.click("form[action='/wallet/recharge'] button")
    await page.wait_for_load_state("load")
    assert "/payments/sandbox/pay/" in page.url, await page.locator("main").inner_text()
    await page.click("button[value=success]")
    await page.wait_for_load_state("load")


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_journey_recharge_buy_analytics_see_chart_refund(browser, portal, size):
    email = f"pay-{uuid.uuid4().hex[:8]}@portal.test"
    registered = await portal.register(email, "Chen")
    portal.make_verified_adult(int(from_global_id(registered["user"]["id"], "User")[1]))
    # phone: zh-CN and dark; desktop: English and light (axe runs on the signed-in pages in each)
    language, scheme = ("zh-CN", "dark") if size == "phone" else ("en", "light")
    context = await browser.new_context(viewport=SIZES[size], locale=language, color_scheme=scheme)
    try:
        page = await context.new_page()
        await sign_in(page, portal.base, email)
        await _recharge(page, portal.base, 300)
        await page.goto(portal.base + "/premium/analytics")
        assert await page.locator("svg.chart").count() == 0  # not bought yet
        await page.goto(portal.base + "/premium")
        await page.click("[data-product=analytics_report] button")
        await page.wait_for_url("**/premium?done=1")
        assert await page.locator("[data-product=analytics_report] form").count() == 0
        await page.goto(portal.base + "/premium/analytics")
        assert await page.locator("svg.chart rect.bar").count() >= 7
        await screenshot(page, "analytics-report", size)

        await _recharge(page, portal.base, 60)
        await page.goto(portal.base + "/wallet")
        assert (await page.locator("#balance").inner_text()) == "60"
        refundable = page.locator("li[data-order]", has=page.locator("form[action='/wallet/refund']")).first
        await refundable.locator("input[name=reason]").fill("充错了")
        await refundable.locator("button").click()
        await page.wait_for_url("**/wallet?done=1")
        assert await page.locator(".refund-status").count() == 1
        await screenshot(page, "wallet", size)
        problems = {}
        for path in ("/wallet", "/premium", "/premium/analytics", "/account", "/tickets", "/chat"):
            await page.goto(portal.base + path)
            await screenshot(page, path.strip("/").replace("/", "-"), size)
            serious = _serious(await Axe().run(page))
            if serious:
                problems[path] = serious
            if await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 0:
                problems[path + " (scroll)"] = True
        assert problems == {}
    finally:
        await context.close()
