"""The partners plugin's settings (`SELFSERVE_WEBHOOKS_*`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

#: Seconds before each retry (Stripe-like growth; the last gap repeats until `give_up_after_seconds`).
DEFAULT_SCHEDULE = (5, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600)


class WebhookSettings(BaseSettings):
    """Outbound webhook delivery. Tests shorten the schedule, timeout and polling."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_WEBHOOKS_", extra="ignore")

    #: Allow loopback/private targets and plain http (development and tests). Forced off in
    #: production unless set explicitly.
    allow_private: bool | None = None
    timeout_seconds: float = 10.0
    max_response_bytes: int = 64 * 1024
    retry_schedule: tuple[float, ...] = DEFAULT_SCHEDULE
    #: Random extra delay, as a fraction of the gap (0.2 = up to +20 %).
    jitter: float = 0.2
    #: A subscription failing without a success for this long is disabled (3 days).
    disable_after_seconds: float = 3 * 86_400
    #: A delivery still failing after this long is given up (FAILED); at least 24 h.
    give_up_after_seconds: float = 3 * 86_400
    #: Period of the `partners.sweep` job (whole seconds, read at start-up), and how long a claimed
    #: attempt is leased beyond the timeout.
    poll_seconds: float = 5.0
    lease_seconds: float = 40.0

    def private_allowed(self, production: bool) -> bool:
        """Whether loopback/private addresses and http are allowed in this deployment."""
        return (not production) if self.allow_private is None else self.allow_private
