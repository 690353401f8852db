"""A polyglot upload (a valid PNG header followed by an HTML page with a script) never runs as a
page of this origin in a real browser: opened directly, framed, or loaded as a script.

The browser gets the exact status, headers and body the API answers for the signed URL (Playwright
serves them for the API's origin), so what is tested is Chromium's handling of our headers. The
control case - the same bytes served as `text/html` without them - does run, so the test can fail.
"""

from __future__ import annotations

from tests.tickets import create_ticket

ORIGIN = "http://api.test"
POLYGLOT = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    + b"<html><body><script>fetch('/pwned?' + document.domain)</script>"
    + b"<img src=x onerror=\"fetch('/pwned-img')\"></body></html>"
)
REPLY = """
mutation Reply($input: TicketReplyInput!) {
  ticketReply(input: $input) { __typename ... on TicketMessage { attachments { downloadUrl } } }
}
"""
HOST = """<!doctype html><html><body>
<iframe id=f src="{url}"></iframe><script src="{url}"></script>
<object data="{url}"></object><embed src="{url}">
</body></html>"""


async def _attachment_url(client) -> str:
    alice = await client.signup()
    ticket = await create_ticket(client, alice)
    variables = {"input": {"ticketId": ticket["id"], "body": "screenshot", "attachments": [None]}}
    body = await client.upload(
        REPLY, variables, {"input.attachments.0": ("x.png", POLYGLOT, "image/png")}, token=alice.token
    )
    assert body["data"]["ticketReply"]["__typename"] == "TicketMessage", body
    return body["data"]["ticketReply"]["attachments"][0]["downloadUrl"]


async def _visit(browser, url: str, answer: dict) -> list[str]:
    """Open a page framing/loading `url` and `url` itself; the attack's requests that arrived."""
    hits: list[str] = []
    context = await browser.new_context(accept_downloads=True)
    page = await context.new_page()

    async def serve(route):
        path = route.request.url.removeprefix(ORIGIN)
        if path.startswith("/pwned"):
            hits.append(path)
            await route.fulfill(status=204)
        elif path == "/host.html":
            await route.fulfill(status=200, content_type="text/html", body=HOST.format(url=url))
        else:
            await route.fulfill(status=answer["status"], headers=answer["headers"], body=answer["body"])

    await context.route(f"{ORIGIN}/**", serve)
    try:
        await page.goto(f"{ORIGIN}/host.html")
        await page.wait_for_timeout(300)
        try:
            await page.goto(f"{ORIGIN}{url}")
        except Exception:  # noqa: BLE001 - "Download is starting": an attachment is not rendered
            pass
        await page.wait_for_timeout(300)
    finally:
        await context.close()
    return hits


async def test_a_polyglot_attachment_never_runs_as_html(client, browser):
    url = await _attachment_url(client)
    response = await client.http.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    answer = {"status": 200, "headers": dict(response.headers), "body": response.content}
    assert await _visit(browser, url, answer) == []
    # control: the same bytes as an unprotected HTML answer do run, so the check above can fail
    unsafe = {"status": 200, "headers": {"content-type": "text/html"}, "body": response.content}
    assert await _visit(browser, url, unsafe) != []
