"""The built-in `sandbox` provider. It behaves like a real one: the payment URL is a page of this
server (`plugins.payments.routes`), and the outcome arrives as a webhook signed with HMAC-SHA256
(`X-Sandbox-Signature: t=<unix time>,v1=<hex>` over `<t>.<raw body>`, Stripe's scheme) with a key
derived from the deployment secret. Stale or unsigned webhooks are refused.

Development-only: absent in production unless `SELFSERVE_PAYMENTS_SANDBOX=true` (see
`plugins.payments.providers.providers`)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any

from core.context import Services
from core.security import derive_key
from plugins.payments.providers import ProviderEvent, WebhookRejected
from plugins.payments.settings import payment_settings

SIGNATURE_HEADER = "X-Sandbox-Signature"
#: Redis hashes: provider calls, and refunds actually made, per idempotency key.
REFUND_CALLS = "payments:sandbox:refund_calls"
REFUND_EFFECTS = "payments:sandbox:refund_effects"


def refund_key(refund_id: int) -> str:
    """The idempotency key the sandbox gets for a refund."""
    return f"refund:{refund_id}"


def webhook_key(services: Services) -> bytes:
    """The signing key of sandbox webhooks (derived, never the secret itself)."""
    return derive_key(services.secret_key, "payments-sandbox-webhook")


def sign(key: bytes, body: bytes, timestamp: int | None = None) -> str:
    """The signature header value for `body`."""
    stamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(key, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def event_body(order_ref: str, outcome: str, amount: int, currency: str = "CNY") -> bytes:
    """The JSON body the sandbox sends when the customer paid (or failed to) on the page."""
    return json.dumps(
        {
            "id": "evt_" + secrets.token_hex(12),
            "type": "payment.succeeded" if outcome == "success" else "payment.failed",
            "data": {"order_ref": order_ref, "amount": amount, "currency": currency},
            "created": int(time.time()),
        },
        separators=(",", ":"),
    ).encode()


def _parse_signature(value: str) -> tuple[int, list[str]]:
    stamp, digests = None, []
    for part in value.split(","):
        name, _, content = part.strip().partition("=")
        if name == "t" and content.isdigit():
            stamp = int(content)
        elif name == "v1" and content:
            digests.append(content)
    if stamp is None or not digests:
        raise WebhookRejected("malformed signature header")
    return stamp, digests


class SandboxProvider:
    """Payments that succeed or fail as the customer chooses on the sandbox page."""

    name = "sandbox"
    development_only = True

    async def payment_url(self, services: Services, order: Any) -> str:
        base = services.settings.base_url.rstrip("/")
        return f"{base}/payments/sandbox/pay/{order.provider_ref}"

    def verify_webhook(self, services: Services, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        header = headers.get(SIGNATURE_HEADER) or headers.get(SIGNATURE_HEADER.lower())
        if not header:
            raise WebhookRejected("missing signature")
        stamp, digests = _parse_signature(header)
        expected = sign(webhook_key(services), body, stamp).split("v1=", 1)[1]
        if not any(hmac.compare_digest(expected, digest) for digest in digests):
            raise WebhookRejected("bad signature")
        tolerance = payment_settings(services).webhook_tolerance_seconds
        if abs(time.time() - stamp) > tolerance:
            raise WebhookRejected("stale timestamp")
        try:
            data = json.loads(body)
            payload = data["data"]
            return ProviderEvent(
                id=str(data["id"]),
                kind=str(data["type"]),
                order_ref=str(payload["order_ref"]),
                amount=int(payload["amount"]),
                currency=str(payload.get("currency", "CNY")),
            )
        except (ValueError, KeyError, TypeError):
            raise WebhookRejected("malformed body") from None

    async def refund(self, services: Services, order: Any, refund: Any) -> None:
        # The sandbox always refunds. Like a real provider it takes an idempotency key (the refund
        # id): a repeated call returns the first result and moves no money again. It counts calls
        # and effects per key in redis, so fault tests can check "one effect per refund".
        key = refund_key(refund.id)
        await services.redis.hincrby(REFUND_CALLS, key, 1)
        latency = payment_settings(services).sandbox_refund_latency_ms
        if latency:
            await asyncio.sleep(latency / 1000)
        await services.redis.hsetnx(REFUND_EFFECTS, key, refund.amount)
