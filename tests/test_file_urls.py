"""Signed file URLs (core.files): bound to a kind, a file, a user and a session; expiring; and a
Content-Disposition no filename can break out of."""

from __future__ import annotations

from types import SimpleNamespace

from core.context import Actor
from core.files import content_disposition, read_claims, signed_url

SERVICES = SimpleNamespace(secret_key="k" * 40)
ALICE = Actor(user_id="7", session_id="0b6f3c1e-0000-4000-8000-000000000001")


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_a_url_names_its_kind_file_user_and_session_and_expires_after_five_minutes():
    url = signed_url(SERVICES, ALICE, "ticket-attachment", "12:0", now=1000.0)
    claims = read_claims(SERVICES, "ticket-attachment", _token(url), now=1299.0)
    assert (claims.ref, claims.user_id, claims.session_id) == ("12:0", "7", ALICE.session_id)
    assert read_claims(SERVICES, "ticket-attachment", _token(url), now=1301.0) is None
    assert read_claims(SERVICES, "appeal-evidence", _token(url), now=1001.0) is None
    other_key = SimpleNamespace(secret_key="o" * 40)
    assert read_claims(other_key, "ticket-attachment", _token(url), now=1001.0) is None
    payload, signature = _token(url).split(".")
    assert read_claims(SERVICES, "ticket-attachment", payload[:-2] + "AA." + signature, now=1001.0) is None
    assert read_claims(SERVICES, "ticket-attachment", "garbage", now=1001.0) is None


def test_apps_and_anonymous_callers_get_no_url():
    app = Actor(user_id="app:1", kind="APP", app_id="1")
    assert signed_url(SERVICES, app, "ticket-attachment", "1:0") is None
    assert signed_url(SERVICES, None, "ticket-attachment", "1:0") is None


def test_content_disposition_cannot_be_broken_out_of():
    header = content_disposition('evil"\r\nSet-Cookie: a=b;.html')
    assert "\r" not in header and "\n" not in header
    assert header.startswith('attachment; filename="evil_Set-Cookie: a=b_.html"')
    assert content_disposition("").startswith('attachment; filename="file"')
    assert "filename*=UTF-8''%E6%88%AA%E5%9B%BE.png" in content_disposition("截图.png")
