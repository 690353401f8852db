"""Signed file access: short-lived download URLs bound to one caller and one stored file.

A plugin that exposes stored files (ticket attachments, appeal evidence, ad documents, ID photos)
signs a URL with `signed_url` when it resolves a `downloadUrl` field, and serves it through a route
from `file_route(kind, authorize)`. The URL carries `kind`, a plugin-chosen `ref` (e.g.
`<message id>:<index>`), the caller's user and session id and an expiry, HMAC-SHA256-signed with a
key derived from the deployment secret. At download the route checks the signature and the expiry,
then asks the plugin's `authorize` again whether that user (as they are now: roles, ban, session)
may open the file, so a URL stops working when the right goes away. Staff access (anyone but the
file's owner) is written to the audit log.

Responses never render in the API's origin: `Content-Disposition: attachment`,
`X-Content-Type-Options: nosniff`, `Content-Security-Policy: sandbox`, and the type sniffed from the
bytes themselves (unknown content is `application/octet-stream`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from core import audit
from core.context import Services
from core.security import derive_key
from core.storage import LocalStorage, sniff_content_type

#: How long a signed URL stays valid.
URL_TTL_SECONDS = 300
#: Headers on every file answer: never sniffed, never scripted, never cached by shared caches.
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@dataclass(frozen=True)
class FileClaims:
    """What a valid signed URL says: which file (`kind`, `ref`) for whom (`user_id`, `session_id`)."""

    kind: str
    ref: str
    user_id: str
    session_id: str
    expires: int


@dataclass(frozen=True)
class FileGrant:
    """A plugin's yes to a download: the stored file, who owns it, and how to read it.

    `decrypt_context` is set for files stored encrypted (ID photos): they are decrypted in memory
    for the answer and never written to disk in the clear."""

    key: str
    filename: str
    owner_id: str
    actor: Any
    decrypt_context: str | None = None


Authorize = Callable[[Any, FileClaims], Awaitable[FileGrant | None]]


def _key(services: Services) -> bytes:
    return derive_key(services.secret_key, "selfserve files v1")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signed_url(
    services: Services, actor: Any, kind: str, ref: str, *, now: float | None = None
) -> str | None:
    """The download URL of file `ref` of `kind` for `actor`, valid `URL_TTL_SECONDS`; None for a
    caller that is no signed-in user (apps and anonymous callers get no file URLs)."""
    if actor is None or getattr(actor, "is_app", False) or not actor.session_id:
        return None
    expires = int((now if now is not None else time.time()) + URL_TTL_SECONDS)
    payload = _b64(
        json.dumps([kind, ref, actor.user_id, actor.session_id, expires], separators=(",", ":")).encode()
    )
    signature = _b64(hmac.new(_key(services), f"{kind}.{payload}".encode(), hashlib.sha256).digest())
    return f"/files/{kind}/{payload}.{signature}"


def read_claims(services: Services, kind: str, token: str, *, now: float | None = None) -> FileClaims | None:
    """The claims of a signed token for `kind`, or None when forged, altered or expired."""
    payload, _, signature = token.partition(".")
    expected = _b64(hmac.new(_key(services), f"{kind}.{payload}".encode(), hashlib.sha256).digest())
    if not signature or not hmac.compare_digest(signature, expected):
        return None
    try:
        signed_kind, ref, user_id, session_id, expires = json.loads(_unb64(payload))
    except (ValueError, TypeError):
        return None
    if signed_kind != kind or expires < (now if now is not None else time.time()):
        return None
    return FileClaims(kind, str(ref), str(user_id), str(session_id), int(expires))


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` with the name reduced to safe characters."""
    name = "".join(c for c in unicodedata.normalize("NFC", filename or "file") if c.isprintable())
    name = name.replace("/", "_").replace("\\", "_")[:150] or "file"
    ascii_name = "".join(c if c.isascii() and c not in '"%;' else "_" for c in name)
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _denied() -> Response:
    return Response("forbidden", status_code=403, media_type="text/plain", headers=SAFE_HEADERS)


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


async def serve_grant(services: Services, grant: FileGrant) -> Response:
    """The answer for a granted file: decrypted in memory when stored encrypted, otherwise streamed
    from the storage backend (with `Range` support where the backend is local disk)."""
    storage = services.storage
    path = storage.path_for(grant.key) if isinstance(storage, LocalStorage) else None
    if path is not None and not path.is_file():
        return Response("not found", status_code=404, media_type="text/plain", headers=SAFE_HEADERS)
    headers = {**SAFE_HEADERS, "Content-Disposition": content_disposition(grant.filename)}
    if grant.decrypt_context is not None or path is None:
        with storage.open(grant.key) as source:
            data = source.read()
        if grant.decrypt_context is not None:
            data = services.pii.decrypt(data, grant.decrypt_context)
        content_type = sniff_content_type(data[:64]) or "application/octet-stream"
        return Response(data, media_type=content_type, headers=headers)
    with path.open("rb") as source:
        content_type = sniff_content_type(source.read(64)) or "application/octet-stream"
    return FileResponse(path, media_type=content_type, headers=headers)


def file_route(kind: str, authorize: Authorize) -> Route:
    """`GET /files/<kind>/<token>`: check the signature, re-check the right with `authorize`,
    audit staff access, and answer with the file (403 for a bad, expired or no longer allowed URL)."""

    async def download(request: Request) -> Response:
        services = request.app.state.services
        claims = read_claims(services, kind, request.path_params["token"])
        if claims is None:
            return _denied()
        grant = await authorize(services, claims)
        if grant is None:
            return _denied()
        if grant.actor is not None and str(grant.actor.user_id) != str(grant.owner_id):
            await audit.record(
                services,
                actor=grant.actor,
                action="file.viewed",
                target_type=kind,
                target_id=claims.ref,
                ip=_client_ip(request),
                data={"owner_id": str(grant.owner_id)},
            )
        return await serve_grant(services, grant)

    return Route(f"/files/{kind}/{{token}}", download, methods=["GET", "HEAD"])
