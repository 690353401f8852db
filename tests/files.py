"""Helpers for tests of signed file URLs (`core.files`): who holds a URL, and what it answers."""

from __future__ import annotations

from typing import Any

from core.context import Actor
from core.db import use_orm
from core.files import signed_url
from core.models import AuditEntry


def actor_of(client: Any, account: Any) -> Actor:
    """The actor behind an account's access token (its user and session id)."""
    claims = client.services.access_tokens.read(account.token)
    return Actor(user_id=claims.user_id, session_id=claims.session_id)


def url_as(client: Any, account: Any, kind: str, ref: str, **kwargs: Any) -> str:
    """A correctly signed URL for `account`: what a caller would get had the API given them one."""
    return signed_url(client.services, actor_of(client, account), kind, ref, **kwargs)


async def download(client: Any, url: str, **headers: str) -> Any:
    """GET a file URL without credentials, as a browser following a link would."""
    return await client.http.get(url, headers=headers)


def assert_safe(response: Any, content_type: str) -> None:
    """A file answer that no browser renders as a page of this origin."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == content_type
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "sandbox"


async def file_views(client: Any, kind: str) -> list[AuditEntry]:
    """The audit entries of staff file views of `kind`."""
    with use_orm(client.services.orm):
        return await AuditEntry.filter(action="file.viewed", target_type=kind).order_by("id")


def ref_of(url: str) -> str:
    """The `ref` inside a signed URL (decoded without checking: tests only)."""
    import base64
    import json

    payload = url.rsplit("/", 1)[1].split(".")[0]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[1]
