"""Journey 4 in Debian's Chromium at phone and desktop size: a user whose video a reviewer removed
and whose account the same reviewer banned signs in restricted, sees both decisions with their
statement of reasons, appeals each with an evidence upload (upload.js, with progress); the reviewer
who decided may not review the appeal (conflict of interest), a second reviewer overturns both in
/staff; the account is active again and the video is visible again, on the page and through the
API. Then every signed-in page passes axe-core and fits 360 px in both languages and themes.
Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import json
import sqlite3
import uuid

import cv2
import httpx
import numpy
import pytest
from axe_playwright_python.async_playwright import Axe

from plugins.content.media import sample_mp4
from tests.backends import selected_backend
from tests.browser.portal_live import PASSWORD, SIZES, screenshot, start_portal
from tests.browser.test_portal_help import _serious
from tests.browser.test_portal_journeys import sign_in
from tests.live_servers import gql, processes

#: The portal's browser tests run on the embedded backend only (they start their own embedded
#: server either way; the services half would only repeat them).
pytestmark = pytest.mark.skipif(selected_backend() == "services", reason="browser tests: embedded half only")

LOGIN = """mutation($i: AccountLoginInput!) { accountLogin(input: $i) {
  __typename ... on AuthSession { accessToken } ... on AccountError { code message } } }"""
UPLOAD = "mutation($i: VideoUploadInput!) { videoUpload(input: $i) { __typename ... on Video { id } } }"
REMOVE = "mutation($i: ModerationInput!) { moderationRemoveVideo(input: $i) { __typename ... on Decision { id } } }"
BAN = "mutation($i: ModerationBanInput!) { moderationBanAccount(input: $i) { __typename ... on Decision { id } } }"
VIDEO = "query($id: ID!) { node(id: $id) { __typename ... on Video { id status title } } }"
STATEMENT = "The soundtrack matches a recording reported by its rights holder."
#: Remembers (across the navigation that follows) the highest value the form's <progress> showed.
WATCH_PROGRESS = """() => {
  const bar = document.querySelector('#appeal-form progress');
  new MutationObserver(() => sessionStorage.setItem('upload-progress', String(bar.value)))
    .observe(bar, {attributes: true, attributeFilter: ['value']});
}"""
CONFLICT = {"en": "You cannot decide this", "zh-CN": "你不能处理此事项"}
REVIEWER_A, REVIEWER_B = "reviewer-a@portal.test", "reviewer-b@portal.test"


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with processes() as group:
        yield start_portal(group, tmp_path_factory.mktemp("portal-appeals"))


@pytest.fixture(scope="module")
async def reviewers(portal):
    """Two reviewers: signed up through the API, given the role in the server's SQLite file (test
    setup; `selfserve user create` would cost a process start each on this small machine)."""
    for email, name in ((REVIEWER_A, "Reviewer A"), (REVIEWER_B, "Reviewer B")):
        await portal.register(email, name)
    with sqlite3.connect(portal.var_dir / "selfserve.sqlite3") as db:
        db.execute(
            "UPDATE account_user SET roles = ? WHERE email IN (?, ?)",
            ('["REVIEWER"]', REVIEWER_A, REVIEWER_B),
        )
    return REVIEWER_A, REVIEWER_B


def _evidence_png() -> bytes:
    """A real picture (a licence screenshot stand-in) as PNG."""
    image = numpy.full((120, 200, 3), 235, dtype=numpy.uint8)
    cv2.putText(image, "LICENCE OK", (10, 65), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (20, 20, 120), 2)
    return cv2.imencode(".png", image)[1].tobytes()


async def _token(base: str, email: str) -> str:
    answer = await gql(base, LOGIN, {"i": {"login": email, "password": PASSWORD}})
    assert answer["data"]["accountLogin"]["__typename"] == "AuthSession", answer
    return answer["data"]["accountLogin"]["accessToken"]


async def _upload_video(base: str, token: str, title: str) -> str:
    operations = {"query": UPLOAD, "variables": {"i": {"title": title, "visibility": "PUBLIC", "file": None}}}
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.post(
            "/graphql", headers={"Authorization": f"Bearer {token}"},
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.i.file"]})},
            files={"0": ("clip.mp4", sample_mp4(8.0), "video/mp4")},
        )  # fmt: skip
    video = response.json()["data"]["videoUpload"]
    assert video["__typename"] == "Video", response.text
    return video["id"]


def _publish(portal, title: str) -> None:
    """What the metadata job would do (this live server runs no worker): publish the video."""
    with sqlite3.connect(portal.var_dir / "selfserve.sqlite3") as db:
        db.execute(
            "UPDATE content_video SET status = 'PUBLISHED', published_at = '2026-11-30 00:00:00+00:00'"
            " WHERE title = ?",
            (title,),
        )


async def _wrongly_banned_creator(portal) -> tuple[str, str, str]:
    """A creator with a public video that reviewer A removed, and an account reviewer A banned."""
    email = f"creator-{uuid.uuid4().hex[:8]}@portal.test"
    registered = await portal.register(email, "Creator Wu")
    title = f"Dumpling recipe {uuid.uuid4().hex[:4]}"
    video_id = await _upload_video(portal.base, registered["accessToken"], title)
    _publish(portal, title)
    assert (await gql(portal.base, VIDEO, {"id": video_id}))["data"]["node"]["status"] == "PUBLISHED"
    reviewer = await _token(portal.base, REVIEWER_A)
    removed = await gql(portal.base, REMOVE, {"i": {"videoId": video_id, "reason": "COPYRIGHT",
                                                   "statement": STATEMENT}}, token=reviewer)  # fmt: skip
    assert removed["data"]["moderationRemoveVideo"]["__typename"] == "Decision", removed
    banned = await gql(portal.base, BAN, {"i": {"userId": registered["user"]["id"], "reason": "IMPERSONATION",
                                               "statement": "The profile imitates a well-known creator."}},
                       token=reviewer)  # fmt: skip
    assert banned["data"]["moderationBanAccount"]["__typename"] == "Decision", banned
    assert (await gql(portal.base, VIDEO, {"id": video_id}))["data"]["node"] is None  # removed: hidden
    return email, video_id, title


async def _appeal(page, base: str, decision: str, size: str, shot: str | None) -> str:
    """Appeal one decision from /appeals with a picture as evidence; returns the appeal's id."""
    await page.goto(base + "/appeals")
    await page.click(f"[data-decision='{decision}'] a[href^='/appeals/new']")
    await page.wait_for_selector("#appeal-form[data-upload=ready]")  # upload.js took the form over
    await page.fill("#reason", "这是我本人原创的视频，配乐已获授权，请复核。")
    await page.set_input_files(
        "#evidence", files=[{"name": "licence.png", "mimeType": "image/png", "buffer": _evidence_png()}]
    )
    if shot:
        await screenshot(page, shot, size)
    await page.evaluate(WATCH_PROGRESS)
    async with page.expect_response("**/appeals/new") as answer:
        await page.click("#appeal-form button[type=submit]")
    assert (await answer.value).headers["content-type"] == "application/json"  # sent by upload.js
    await page.wait_for_url("**/appeals?done=1")
    assert await page.evaluate("sessionStorage.getItem('upload-progress')") == "100"
    card = page.locator(f"section:has([data-decision='{decision}']) article[data-appeal]")
    assert await card.locator(".appeal-status").get_attribute("data-status") == "SUBMITTED"
    assert await card.locator("a[download]", has_text="licence.png").count() == 1
    return await card.get_attribute("data-appeal")


async def _decide(page, base: str, appeal_id: str, note: str) -> None:
    await page.goto(base + "/staff")
    item = page.locator(f"li[data-appeal='{appeal_id}']")
    await item.locator("textarea").fill(note)
    await item.locator("button[value=overturn]").click()
    await page.wait_for_load_state("load")


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_journey_banned_user_appeals_with_evidence_and_a_second_reviewer_overturns(
    browser, portal, reviewers, size
):
    email, video_id, title = await _wrongly_banned_creator(portal)
    language = "zh-CN" if size == "phone" else "en"
    user = await browser.new_context(viewport=SIZES[size], locale=language)
    staff = await browser.new_context(viewport=SIZES[size], locale=language)
    try:
        page = await user.new_page()
        await sign_in(page, portal.base, email)
        assert await page.locator("p.notice[role=status]").count() == 1  # restricted mode, said
        await page.goto(portal.base + "/videos")
        assert STATEMENT in await page.locator("main").inner_text()  # the statement of reasons
        await screenshot(page, "videos-restricted", size)
        await page.goto(portal.base + "/appeals")
        decisions = await page.eval_on_selector_all(
            "article.decision", "cards => cards.map(c => c.getAttribute('data-decision'))"
        )
        assert len(set(decisions)) == 2
        appeal_ids = [
            await _appeal(page, portal.base, decision, size, "appeal-new" if index == 0 else None)
            for index, decision in enumerate(dict.fromkeys(decisions))
        ]
        await screenshot(page, "appeals-submitted", size)

        reviewer_a = await staff.new_page()
        await sign_in(reviewer_a, portal.base, REVIEWER_A)
        await _decide(reviewer_a, portal.base, appeal_ids[0], "I decided this myself.")
        assert reviewer_a.url.endswith("/decide")  # refused: the reviewer who decided (conflict of interest)
        assert CONFLICT[language] in await reviewer_a.locator("main").inner_text()
        await reviewer_a.click("header form[action='/logout'] button")
        await reviewer_a.wait_for_url(portal.base + "/")

        await sign_in(reviewer_a, portal.base, REVIEWER_B)
        await reviewer_a.goto(portal.base + "/staff")
        case = reviewer_a.locator(f"li[data-appeal='{appeal_ids[0]}']")
        assert await case.locator("a[data-evidence]", has_text="licence.png").count() == 1
        assert STATEMENT in await reviewer_a.locator("#reviewer").inner_text()  # what was decided, and why
        await screenshot(reviewer_a, "staff-appeals", size)
        for appeal_id in appeal_ids:
            await _decide(reviewer_a, portal.base, appeal_id, "The licence is genuine; restored.")
            assert reviewer_a.url.endswith("/staff?done=1"), await reviewer_a.locator("main").inner_text()

        await page.goto(portal.base + "/appeals")
        statuses = await page.eval_on_selector_all(
            ".appeal .appeal-status", "s => s.map(e => e.dataset.status)"
        )
        assert statuses == ["OVERTURNED", "OVERTURNED"]
        assert await page.locator("[data-step=VIDEO_RESTORED]").count() == 1
        assert await page.locator("p.notice[role=status]").count() == 0  # no longer restricted
        await screenshot(page, "appeals-overturned", size)
        await page.goto(portal.base + "/videos")
        video = page.locator(f"li[data-video='{video_id}']")
        assert await video.locator(".video-status").get_attribute("data-status") == "PUBLISHED"
        await screenshot(page, "videos", size)
        seen = (await gql(portal.base, VIDEO, {"id": video_id}))["data"]["node"]  # anyone, through the API
        assert seen == {"__typename": "Video", "id": video_id, "status": "PUBLISHED", "title": title}
        problems = {}
        for checked in (page, reviewer_a):
            serious = _serious(await Axe().run(checked))
            if serious:
                problems[checked.url] = serious
        assert problems == {}
    finally:
        await user.close()
        await staff.close()


async def _signed_in_pages(portal, page) -> dict[str, str]:
    """Sign a fresh user in and make one of each thing the pages show; returns their paths by name."""
    email = f"pages-{uuid.uuid4().hex[:8]}@portal.test"
    registered = await portal.register(email, "Page Tester")
    token = registered["accessToken"]
    ticket = await gql(
        portal.base,
        "mutation($i: TicketCreateInput!) { ticketCreate(input: $i) { ... on Ticket { id } } }",
        {"i": {"subject": "我的退款没到账", "body": "三天前申请的退款还没有到账。", "category": "payments"}},
        token=token,
    )
    thread = await gql(
        portal.base,
        "mutation($i: ForumThreadCreateInput!) { forumThreadCreate(input: $i) { ... on ForumThread { id } } }",
        {"i": {"board": "payments", "title": "Refund took three days", "body": "It arrived, **thanks**!"}},
        token=token,
    )
    await sign_in(page, portal.base, email)
    ticket_id = ticket["data"]["ticketCreate"]["id"]
    thread_id = thread["data"]["forumThreadCreate"]["id"]
    return {
        "videos": "/videos", "appeals": "/appeals", "community": "/community",
        "community-thread": f"/community/threads/{thread_id}", "community-search": "/community?q=refund",
        "account": "/account", "tickets": "/tickets", "ticket": f"/tickets/{ticket_id}", "wallet": "/wallet",
        "premium": "/premium", "analytics": "/premium/analytics", "chat": "/chat",
    }  # fmt: skip


async def test_every_signed_in_page_passes_axe_and_fits_360_px_in_both_languages_and_themes(browser, portal):
    context = await browser.new_context(viewport={"width": 360, "height": 740})
    problems: dict[str, object] = {}
    try:
        page = await context.new_page()
        paths = await _signed_in_pages(portal, page)
        for scheme in ("light", "dark"):
            await page.emulate_media(color_scheme=scheme)
            for language in ("zh-CN", "en"):
                for path in paths.values():
                    joiner = "&" if "?" in path else "?"
                    await page.goto(f"{portal.base}{path}{joiner}lang={language}")
                    serious = _serious(await Axe().run(page))
                    if serious:
                        problems[f"{path} {language} {scheme}"] = serious
                    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    if overflow > 0:
                        problems[f"{path} {language} {scheme} (scroll)"] = overflow
        for size in SIZES:  # screenshots of the user-side pages at both sizes
            await page.set_viewport_size(SIZES[size])
            for name in ("community", "community-thread", "account", "ticket"):
                await page.goto(portal.base + paths[name])
                await screenshot(page, f"{name}-user", size)
    finally:
        await context.close()
    assert problems == {}


async def test_the_community_fits_360_px_for_anonymous_visitors(browser, portal):
    context = await browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    try:
        page = await context.new_page()
        await page.goto(portal.base + "/community?lang=en")
        assert _serious(await Axe().run(page)) == []
        assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        await context.close()
