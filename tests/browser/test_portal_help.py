"""The help pages in Debian's Chromium: a QR code from `helpQrCode` read by OpenCV opens the article
with its pictures loaded and its video playable; journey 1 (search "退款", open the article, English,
dark mode) at phone and desktop size; axe-core finds nothing serious in either language or theme;
nothing scrolls sideways at 360 px. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import cv2
import numpy
import pytest

from tests.backends import selected_backend
from tests.browser.portal_live import SIZES, screenshot, start_portal
from tests.live_servers import gql, processes

ARTICLE = "/help/payments/payments-refund"
PAGES = ["/", "/?q=%E9%80%80%E6%AC%BE", "/help/payments", ARTICLE, "/login", "/chat", "/login/reset"]


#: The portal's browser tests run on the embedded backend only (they start their own embedded
#: server either way; the services half would only repeat them).
pytestmark = pytest.mark.skipif(selected_backend() == "services", reason="browser tests: embedded half only")


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with processes() as group:
        yield start_portal(group, tmp_path_factory.mktemp("portal-var"))


async def _new_page(browser, size: str, **options):
    context = await browser.new_context(viewport=SIZES[size], **options)
    return context, await context.new_page()


def _decode_qr(png: bytes) -> str:
    image = cv2.imdecode(numpy.frombuffer(png, dtype=numpy.uint8), cv2.IMREAD_GRAYSCALE)
    image = cv2.resize(image, None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST)
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


async def test_a_qr_code_opens_the_article_with_pictures_and_a_playable_video(browser, portal):
    answer = await gql(portal.base, "query($p: String!) { helpQrCode(path: $p) }", {"p": ARTICLE})
    assert answer["data"]["helpQrCode"].startswith("<svg")
    context, page = await _new_page(browser, "desktop")
    try:
        await page.goto(portal.base + ARTICLE)  # the page shows helpQrCode's picture for itself
        png = await page.locator("img.qr").screenshot()
        url = _decode_qr(png)
        assert url == portal.base + ARTICLE
    finally:
        await context.close()
    context, page = await _new_page(browser, "phone")  # the phone that scanned it
    try:
        await page.goto(url)
        await page.wait_for_load_state("load")
        images = await page.eval_on_selector_all(
            "article img", "imgs => imgs.map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0])"
        )
        assert images and all(loaded for _src, loaded in images), images
        await page.wait_for_function("document.querySelector('article video').readyState >= 2", timeout=15000)
        assert await page.evaluate("document.querySelector('article video').videoWidth") > 0
    finally:
        await context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_journey_anonymous_search_open_english_dark(browser, portal, size):
    context, page = await _new_page(browser, size, locale="zh-CN")
    try:
        await page.goto(portal.base + "/")
        assert await page.get_attribute("html", "lang") == "zh-CN"
        await screenshot(page, "home-zh", size)
        await page.fill("#q", "退款")
        await page.click("form[role=search] button")
        assert await page.locator(".snippet mark").count() > 0
        await screenshot(page, "search-zh", size)
        await page.click(f"a[href='{ARTICLE}']")
        await page.wait_for_url(f"**{ARTICLE}")
        assert await page.locator("ol.steps li").count() >= 3
        await page.click("a[hreflang=en]")
        assert await page.get_attribute("html", "lang") == "en"
        assert (await page.locator("h1").inner_text()) == "Refunds"
        await page.click("button[name=theme][value=dark]")
        await page.wait_for_load_state("load")
        assert "theme-dark" in (await page.get_attribute("html", "class"))
        background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 20, 23)"
        await screenshot(page, "article-en-dark", size)
        # the choice stays on the next page
        await page.goto(portal.base + "/help/payments")
        assert await page.get_attribute("html", "lang") == "en"
        assert "theme-dark" in (await page.get_attribute("html", "class"))
    finally:
        await context.close()


async def test_the_system_theme_follows_prefers_color_scheme(browser, portal):
    context, page = await _new_page(browser, "desktop", color_scheme="dark")
    try:
        await page.goto(portal.base + ARTICLE)
        assert await page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 20, 23)"
    finally:
        await context.close()


def _serious(results) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_axe_finds_no_serious_violation_and_nothing_scrolls_sideways(browser, portal, language, scheme):
    from axe_playwright_python.async_playwright import Axe

    axe = Axe()
    context = await browser.new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme)
    page = await context.new_page()
    problems = {}
    try:
        for path in PAGES:
            joiner = "&" if "?" in path else "?"
            await page.goto(f"{portal.base}{path}{joiner}lang={language}")
            results = await axe.run(page)
            if _serious(results):
                problems[path] = _serious(results)
            overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems[path + " (scroll)"] = overflow
    finally:
        await context.close()
    assert problems == {}


async def test_graphiql_works_offline_from_local_files(browser, portal):
    context, page = await _new_page(browser, "desktop")
    elsewhere = []

    async def only_this_site(route):
        if route.request.url.startswith(portal.base):
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    try:
        await context.route("**/*", only_this_site)
        await page.goto(portal.base + "/graphiql")
        await page.wait_for_selector(".graphiql-container", timeout=20000)
        assert elsewhere == []
    finally:
        await context.close()
