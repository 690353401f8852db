"""Hooks the payments plugin offers (added to the plugin manager while payments is enabled)."""

from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def register_payment_providers():
    """Return a list of payment providers (`plugins.payments.providers.PaymentProvider`): each has a
    `name` (the recharge `channel`), creates the payment page URL of an order, verifies its signed
    webhooks and performs refunds. The payments plugin ships `sandbox`."""
