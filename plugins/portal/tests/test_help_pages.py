"""Help pages answer without JavaScript: plain HTTP, parsed HTML, proper head links, security headers."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class Parsed(HTMLParser):
    """The bits of a page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(html: str) -> Parsed:
    page = Parsed()
    page.feed(html)
    return page


async def test_home_lists_categories_and_popular_articles(portal):
    response = await portal.http.get("/", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    page = parse(response.text)
    assert page.find("html")[0]["lang"] == "zh-CN"
    assert "有什么可以帮您" in page.title
    hrefs = [a.get("href", "") for a in page.find("a")]
    assert "/help/payments" in hrefs
    assert any(h.startswith("/help/") and h.count("/") == 3 for h in hrefs)
    assert page.find("script") == []


async def test_search_highlights_matches(portal):
    response = await portal.http.get("/", params={"q": "退款", "lang": "zh-CN"})
    assert response.status_code == 200
    assert "<mark>" in response.text
    page = parse(response.text)
    assert any(a.get("href") == "/help/payments/payments-refund" for a in page.find("a"))


async def test_article_page_has_steps_media_qr_and_links(portal):
    response = await portal.http.get("/help/payments/payments-refund", params={"lang": "en"})
    assert response.status_code == 200
    page = parse(response.text)
    assert page.find("html")[0]["lang"] == "en"
    assert page.title.startswith("Refunds")
    canonical = page.find("link", rel="canonical")
    assert canonical[0]["href"].endswith("/help/payments/payments-refund?lang=en")
    langs = {a["hreflang"]: a["href"] for a in page.find("link", rel="alternate")}
    assert set(langs) == {"zh-CN", "en", "x-default"}
    assert langs["zh-CN"].endswith("?lang=zh-CN")
    assert len(page.find("ol", **{"class": "steps"})) == 1
    images = [i["src"] for i in page.find("img")]
    assert "/media/help/payments-refund-1.png" in images
    assert any(src.startswith("data:image/svg+xml;base64,") for src in images)
    assert page.find("source", src="/media/help/payments-refund.mp4")
    hrefs = [a.get("href") for a in page.find("a")]
    assert "/wallet" in hrefs and "/chat" in hrefs
    assert page.find("input", name="csrf")
    assert page.find("script") == []


async def test_pages_carry_a_strict_content_security_policy(portal):
    response = await portal.http.get("/help/payments/payments-refund")
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert ' style="' not in response.text


@pytest.mark.parametrize("path", ["/help/nope", "/help/payments/nope", "/help/payments/..%2f..%2fetc"])
async def test_unknown_pages_answer_404(portal, path):
    response = await portal.http.get(path)
    assert response.status_code == 404
    assert "<script" not in response.text


async def test_an_article_under_the_wrong_category_redirects_to_its_own(portal):
    response = await portal.http.get("/help/account/payments-refund")
    assert response.status_code == 303
    assert response.headers["location"] == "/help/payments/payments-refund"


async def test_language_choice_is_kept_in_a_secure_cookie(portal):
    first = await portal.http.get("/", params={"lang": "en"}, headers={"Accept-Language": "zh-CN"})
    assert parse(first.text).find("html")[0]["lang"] == "en"
    cookie = next(c for c in first.headers.get_list("set-cookie") if c.startswith("selfserve_lang="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    portal.http.cookies.clear()
    again = await portal.http.get("/", headers={"Accept-Language": "zh-CN", "Cookie": "selfserve_lang=en"})
    assert parse(again.text).find("html")[0]["lang"] == "en"
