"""Signed-in journeys in Debian's Chromium, at phone and desktop size:
(2) ask the assistant in Chinese, get the refund article, ask for a person, see the ticket; an agent
replies in /staff and the user's open page shows it without reloading (graphql-transport-ws);
(3) turn on two-step verification, sign in with the second factor, revoke another session, bind an
email with the code from the outbox."""

from __future__ import annotations

import re
import time
import uuid

import pyotp
import pytest
from axe_playwright_python.async_playwright import Axe

from tests.backends import selected_backend
from tests.browser.portal_live import PASSWORD, SIZES, screenshot, start_portal
from tests.browser.test_portal_help import _serious
from tests.live_servers import gql, processes

LOGIN = """mutation($input: AccountLoginInput!) { accountLogin(input: $input) { __typename } }"""


#: The portal's browser tests run on the embedded backend only (they start their own embedded
#: server either way; the services half would only repeat them).
pytestmark = pytest.mark.skipif(selected_backend() == "services", reason="browser tests: embedded half only")


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    with processes() as group:
        portal = start_portal(group, tmp_path_factory.mktemp("portal-journeys"))
        portal.create_user("agent@portal.test", role="agent", name="Agent Li")
        yield portal


async def sign_in(page, base: str, email: str, otp: str | None = None) -> None:
    """Sign in through /login (the code step when two-step verification is on)."""
    await page.goto(base + "/login")
    await page.fill("#login", email)
    await page.fill("#password", PASSWORD)
    await page.click("main form button[type=submit]")
    if otp is not None:
        await page.wait_for_selector("#otp")
        await page.fill("#otp", otp)
        await page.click("main form button[type=submit]")
    await page.wait_for_url(re.compile(r"^(?!.*/login).*$"))


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_journey_chat_handoff_and_a_live_agent_reply(browser, portal, size):
    email = f"chat-{uuid.uuid4().hex[:8]}@portal.test"
    await portal.register(email, "Wang")
    user = await browser.new_context(viewport=SIZES[size], locale="zh-CN")
    agent = await browser.new_context(viewport=SIZES["desktop"], locale="zh-CN")
    try:
        page = await user.new_page()
        await sign_in(page, portal.base, email)
        await page.goto(portal.base + "/chat")
        await page.fill("#message", "我充错了钱，怎么退款？")
        await page.click("main form.card button[type=submit]")
        assert await page.locator(".answer a[href='/help/payments/payments-refund']").count() == 1
        await screenshot(page, "chat-zh", size)
        await page.click("#handoff button")
        await page.wait_for_url(re.compile(r"/tickets/[^/]+$"))
        ticket_path = page.url.split(portal.base, 1)[1]
        assert (await page.locator("h1").inner_text()).startswith("#")
        await page.wait_for_selector("#thread[data-live=on]")

        staff = await agent.new_page()
        await sign_in(staff, portal.base, "agent@portal.test")
        await staff.goto(portal.base + "/staff")
        ticket_id = ticket_path.rsplit("/", 1)[1]
        await staff.click(f"a[href='/staff/tickets/{ticket_id}']")
        await screenshot(staff, "staff-ticket", size)
        reply = f"您好，已为您处理退款 {uuid.uuid4().hex[:6]}"
        await staff.fill("#body", reply)
        await staff.click("main form.card button[type=submit]")
        await staff.wait_for_load_state("load")

        await page.wait_for_function(
            "text => document.getElementById('thread').innerText.includes(text)", arg=reply, timeout=10000
        )
        assert page.url.endswith(ticket_path)  # no navigation happened
        await screenshot(page, "ticket-live", size)
        for checked in (page, staff):  # the requester's ticket page and the agent's console pages
            assert _serious(await Axe().run(checked)) == []
        await staff.goto(portal.base + "/staff")
        await screenshot(staff, "staff", size)
        assert _serious(await Axe().run(staff)) == []
    finally:
        await user.close()
        await agent.close()


async def _reauthenticate(page) -> None:
    await page.fill("#reauth-password", PASSWORD)
    await page.click("form[action='/account/reauth'] button")
    await page.wait_for_load_state("load")


@pytest.mark.parametrize("size", ["phone", "desktop"])
async def test_journey_second_factor_revoke_and_bind_email(browser, portal, size):
    email = f"tfa-{uuid.uuid4().hex[:8]}@portal.test"
    await portal.register(email, "Zhao")
    other = await gql(
        portal.base, LOGIN, {"input": {"login": email, "password": PASSWORD, "deviceName": "Old tablet"}}
    )
    assert other["data"]["accountLogin"]["__typename"] == "AuthSession"
    context = await browser.new_context(viewport=SIZES[size], locale="en")
    try:
        page = await context.new_page()
        await sign_in(page, portal.base, email)
        await page.goto(portal.base + "/account")
        await _reauthenticate(page)
        await page.click("form[action='/account/2fa-setup'] button")
        secret = (await page.locator("code.secret").inner_text()).strip()
        assert await page.evaluate("document.querySelector('#tfa img.qr, section img.qr').naturalWidth") > 0
        await page.fill("#tfa-code", pyotp.TOTP(secret).now())
        await page.click("form[action='/account/2fa-enable'] button")
        assert await page.locator("ul.codes li").count() >= 5, await page.locator("main").inner_text()
        await page.click("header form[action='/logout'] button")
        await page.wait_for_url(portal.base + "/")

        # the next 30 s step: the code that turned it on may not be used twice
        await sign_in(page, portal.base, email, otp=pyotp.TOTP(secret).at(time.time() + 30))
        await page.goto(portal.base + "/account")
        assert await page.locator("text=Two-step verification: On").count() == 1
        revoke = page.locator("form[action='/account/revoke'] button", has_text="Old tablet")
        assert await revoke.count() == 1
        await revoke.click()
        await page.wait_for_url("**/account?done=1")
        assert await page.locator("form[action='/account/revoke'] button", has_text="Old tablet").count() == 0

        new_email = f"new-{uuid.uuid4().hex[:8]}@portal.test"
        await _reauthenticate(page)
        await page.fill("#bind-target", new_email)
        await page.click("form[action='/account/code'] button")
        await page.wait_for_selector("#bind-code")
        sent = [m for m in portal.outbox() if m["target"] == new_email]
        code = re.search(r"\b(\d{6})\b", sent[-1]["body"]).group(1)
        await page.fill("#bind-code", code)
        await page.click("form[action='/account/bind'] button")
        await page.wait_for_url("**/account?done=1")
        assert await page.locator("main [role=status]").count() == 1
        # the new email now signs in (and asks for the second factor)
        again = await gql(portal.base, LOGIN, {"input": {"login": new_email, "password": PASSWORD}})
        assert again["data"]["accountLogin"]["__typename"] == "SecondFactorRequired"
        await screenshot(page, "account-en", size)
    finally:
        await context.close()


async def test_the_live_socket_refuses_another_sites_page(portal):
    import websockets.exceptions

    url = portal.base.replace("http://", "ws://") + "/portal/live"
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        async with websockets.connect(
            url, subprotocols=["graphql-transport-ws"], additional_headers={"Origin": "http://evil.example"}
        ):
            pass
    assert refused.value.response.status_code == 403
