"""CORS in a real browser: a page on an allowed loopback origin calls the API and reads the answer;
a page on another origin is refused by the browser itself."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.live_servers import processes, server_env

PAGE = "<!doctype html><html lang=en><title>partner app</title><body>partner app</body></html>"
CALL = """async (api) => {
  try {
    const answer = await fetch(api + "/graphql", {
      method: "POST", credentials: "include",
      headers: {"Content-Type": "application/json", "Authorization": "Bearer nobody"},
      body: JSON.stringify({query: "{ __typename }"}),
    });
    return {ok: true, body: await answer.json()};
  } catch (error) {
    return {ok: false, error: String(error)};
  }
}"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def page_origin() -> Iterator[str]:
    """A loopback web server for the partner page: its own origin (Chromium's local-network rules
    treat a page the browser was handed differently from one a loopback server sent)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def api_and_origins(tmp_path_factory):
    with page_origin() as allowed, page_origin() as refused:
        yield from _api(tmp_path_factory, allowed, refused)


def _api(tmp_path_factory, allowed: str, refused: str):
    env = server_env(
        env="development", var_dir=str(tmp_path_factory.mktemp("cors-var")), plugins="account",
        cors_origins=allowed, database_url="", redis_url="",
    )  # fmt: skip
    with processes() as group:
        yield group.server(env), allowed, refused


async def _call_from(browser, origin: str, api: str) -> dict:
    page = await browser.new_page()
    try:
        await page.goto(f"{origin}/app")
        return await page.evaluate(CALL, api)
    finally:
        await page.close()


async def test_an_allowed_origin_calls_the_api_and_another_is_refused_by_the_browser(
    browser, api_and_origins
):
    api, allowed, refused = api_and_origins
    works = await _call_from(browser, allowed, api)
    assert works["ok"], works
    assert works["body"]["data"] == {"__typename": "Query"}
    blocked = await _call_from(browser, refused, api)
    assert blocked == {"ok": False, "error": "TypeError: Failed to fetch"}
