"""One webhook attempt over HTTP: Standard Webhooks 1.0 headers signed with every active secret,
sent to the egress-checked address, no redirects, a hard deadline, at most 64 kB of answer read."""

from __future__ import annotations

import asyncio
import base64
import secrets
from dataclasses import dataclass
from datetime import datetime

import httpx
from standardwebhooks import Webhook

from plugins.partners.egress import Target

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A signing secret in the Standard Webhooks form (`whsec_` + base64 of 24 random bytes)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signature_header(webhook_id: str, at: datetime, body: str, active_secrets: list[str]) -> str:
    """`v1,<sig>` for every active secret, space separated (receivers accept any one)."""
    return " ".join(Webhook(secret).sign(webhook_id, at, body) for secret in active_secrets)


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: the HTTP status (None when no answer) and an error summary."""

    status: int | None
    error: str | None = None
    #: The start of the answer's body: at most `max_bytes` (the rest is never read).
    body: bytes = b""

    @property
    def succeeded(self) -> bool:
        """2xx is success; anything else (3xx included: redirects are not followed) is retried."""
        return self.status is not None and 200 <= self.status < 300


def _connect_url(target: Target) -> str:
    host = f"[{target.address}]" if ":" in target.address else target.address
    rest = target.url.split("://", 1)[1]
    path = rest[rest.find("/") :] if "/" in rest else "/"
    return f"{target.scheme}://{host}:{target.port}{path}"


async def send(
    client: httpx.AsyncClient,
    target: Target,
    *,
    webhook_id: str,
    at: datetime,
    body: str,
    active_secrets: list[str],
    timeout: float,
    max_bytes: int,
) -> Outcome:
    """POST `body` once; never raises for network trouble (it becomes the outcome)."""
    default_port = 443 if target.scheme == "https" else 80
    headers = {
        "Host": target.host if target.port == default_port else f"{target.host}:{target.port}",
        "Content-Type": "application/json",
        "User-Agent": "selfserve-webhooks/1",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature_header(webhook_id, at, body, active_secrets),
    }
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    request = client.build_request(
        "POST", _connect_url(target), headers=headers, content=body.encode(), extensions=extensions
    )
    try:
        async with asyncio.timeout(timeout):
            response = await client.send(request, stream=True, follow_redirects=False)
            received = bytearray()
            try:
                async for chunk in response.aiter_raw():
                    received += chunk[: max_bytes - len(received)]
                    if len(received) >= max_bytes:
                        break  # closing the response drops the connection: nothing more is read
            finally:
                await response.aclose()
    except TimeoutError:
        return Outcome(None, f"no answer in {timeout:g} s")
    except httpx.HTTPError as error:
        return Outcome(None, f"{error.__class__.__name__}: {str(error)[:200]}")
    error = None if 200 <= response.status_code < 300 else "non-2xx answer"
    return Outcome(response.status_code, error, bytes(received))


def make_client(timeout: float) -> httpx.AsyncClient:
    """The process's HTTP client for webhooks (no proxies from the environment, no redirects)."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(timeout), follow_redirects=False, trust_env=False, http2=False
    )
