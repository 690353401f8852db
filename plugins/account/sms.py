"""SMS delivery: the provider `SELFSERVE_SMS_PROVIDER` names among the `register_sms_providers`
hook's (a hook the account plugin offers), installed in the process notifier at start-up."""

from __future__ import annotations

from typing import Any

from core.notify import pick_sms_provider
from core.plugins import plugin_results


def install_sms_provider(services: Any) -> None:
    """Route SMS messages through the configured provider; an unknown name stops start-up."""
    providers = [p for _, found in plugin_results(services.pm, "register_sms_providers") for p in found or []]
    provider = pick_sms_provider(services.settings, providers)
    if provider is not None:
        services.notifier.use("SMS", provider)
