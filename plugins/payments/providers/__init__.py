"""Payment providers: what a channel must do (create a payment page, verify webhooks, refund), and
the registry built from the `register_payment_providers` hook."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from core.context import Services
from core.devonly import development_surface_enabled
from core.plugins import plugin_results
from core.stash import StashKey


class WebhookRejected(Exception):
    """A webhook that must not be processed: unsigned, forged, stale or malformed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ProviderError(Exception):
    """The provider could not do it now (network, declined); refunds are retried by a job."""


@dataclass(frozen=True)
class ProviderEvent:
    """A verified provider notification: `kind` is `payment.succeeded` or `payment.failed`."""

    id: str
    kind: str
    order_ref: str
    amount: int
    currency: str


class PaymentProvider(Protocol):
    """A payment channel. `name` is the `channel` of `rechargeCreate`."""

    name: str
    #: True for providers that move no real money (the sandbox): they exist only where
    #: `SELFSERVE_PAYMENTS_SANDBOX` allows development-only surfaces (never by default in production).
    development_only: bool = False

    async def payment_url(self, services: Services, order: Any) -> str:
        """Where the customer pays for `order` (a page of the provider)."""
        ...

    def verify_webhook(self, services: Services, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """Check the signature and age of a webhook and parse it, or raise `WebhookRejected`."""
        ...

    async def refund(self, services: Services, order: Any, refund: Any) -> None:
        """Return `refund.amount` fen of `order` to the payer, idempotently per refund id, or raise
        `ProviderError` (the job retries)."""


def sandbox_enabled(services: Services) -> bool:
    """Whether development-only providers (and their pages) exist in this deployment."""
    from plugins.payments.settings import payment_settings

    return development_surface_enabled(services.settings, payment_settings(services).sandbox)


#: The deployment's providers by name, built once per process.
PROVIDERS_KEY = StashKey[dict[str, "PaymentProvider"]]()


def providers(services: Services) -> dict[str, PaymentProvider]:
    """The deployment's providers by name (kept on `services.stash` once built). A
    development-only provider is left out unless `sandbox_enabled`: in production its channel,
    pay page and webhook do not exist."""
    found = services.stash.get(PROVIDERS_KEY, None)
    if found is None:
        found = {}
        allow_development = sandbox_enabled(services)
        for _, contributed in plugin_results(services.pm, "register_payment_providers"):
            for provider in contributed or ():
                if getattr(provider, "development_only", False) and not allow_development:
                    continue
                found.setdefault(provider.name, provider)
        services.stash[PROVIDERS_KEY] = found
    return found
