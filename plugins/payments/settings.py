"""Payments settings (`SELFSERVE_PAYMENTS_*`); defaults from docs/platform-facts.md."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from core.context import Services
from core.settings import plugin_settings


class PaymentSettings(BaseSettings):
    """Limits, windows and retention of the payments plugin."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_PAYMENTS_", extra="ignore")

    #: 10 coins = 1 CNY = 100 fen, so one coin is 10 fen.
    fen_per_coin: int = 10
    min_coins_per_order: int = 10
    max_coins_per_order: int = 50_000
    max_coins_per_day: int = 200_000
    #: The day of the daily limit is the calendar day at this UTC offset (China Standard Time).
    day_utc_offset_hours: int = 8
    refund_window_days: int = 7
    refund_max_attempts: int = 5
    #: Pending refunds older than this are handed to the refund job again by the sweeper.
    refund_sweep_after_seconds: int = 600
    #: Idempotency keys are kept at least this long (Stripe keeps them 24 hours).
    idempotency_retention_hours: int = 24
    #: Unpaid orders are marked FAILED after this long (a late provider success still credits).
    order_expiry_minutes: int = 30
    #: Signed webhooks older (or newer) than this are refused as stale.
    webhook_tolerance_seconds: int = 300
    #: The development-only `sandbox` provider and its pay page (`SELFSERVE_PAYMENTS_SANDBOX`):
    #: unset means on outside production and absent in production; `true` turns it on anyway
    #: (logged at WARNING on every start), `false` turns it off everywhere.
    sandbox: bool | None = None
    #: How long the sandbox provider takes to answer a refund (fault tests make it slow).
    sandbox_refund_latency_ms: int = 0


def payment_settings(services: Services) -> PaymentSettings:
    """The process's payments settings (read once, kept on `services.stash`)."""
    return plugin_settings(services, PaymentSettings)
