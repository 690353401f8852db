"""A test payment provider registered through `register_payment_providers`: its webhooks carry a
plain test token and its refunds fail as often as the refund reason says (`fail:<n>`)."""

from __future__ import annotations

import json
from collections import Counter

from core.hookspecs import hookimpl
from plugins.payments.providers import ProviderError, ProviderEvent, WebhookRejected

PLUGIN_NAME = "flaky_provider"


class FlakyProvider:
    name = "flaky"

    def __init__(self) -> None:
        self.calls: Counter[int] = Counter()

    async def payment_url(self, services, order):
        return f"https://flaky.example/pay/{order.provider_ref}"

    def verify_webhook(self, services, headers, body):
        if headers.get("x-flaky-token") != "test":
            raise WebhookRejected("bad token")
        data = json.loads(body)
        return ProviderEvent(data["id"], "payment.succeeded", data["ref"], data["amount"], "CNY")

    async def refund(self, services, order, refund):
        self.calls[refund.id] += 1
        failures = int(refund.reason.split(":", 1)[1]) if refund.reason.startswith("fail:") else 0
        if self.calls[refund.id] <= failures:
            raise ProviderError(f"declined (call {self.calls[refund.id]})")


@hookimpl
def register_payment_providers():
    return [FlakyProvider()]
