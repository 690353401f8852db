"""Support settings (`SELFSERVE_SUPPORT_*`): SLA targets per priority, auto-close and survey timing.

Dict settings take JSON, e.g. `SELFSERVE_SUPPORT_FIRST_RESPONSE_MINUTES='{"HIGH": 10}'`; priorities
left out keep their defaults (platform-facts.md: 4 hours, 15 minutes with priority support).
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from core.context import Services
from core.settings import plugin_settings

DEFAULT_FIRST_RESPONSE = {"LOW": 8 * 60, "NORMAL": 4 * 60, "HIGH": 15, "URGENT": 15}
DEFAULT_RESOLUTION = {"LOW": 72 * 60, "NORMAL": 24 * 60, "HIGH": 4 * 60, "URGENT": 2 * 60}


class SupportSettings(BaseSettings):
    """Support desk configuration, read from the environment once per process."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_SUPPORT_", extra="ignore")

    first_response_minutes: dict[str, int] = {}
    resolution_minutes: dict[str, int] = {}
    #: The entitlement that raises a user's tickets to HIGH and the faster policy.
    priority_entitlement: str = "priority_support"
    auto_close_days: int = 7
    survey_delay_minutes: int = 0
    attachment_max_bytes: int = 10 * 1024 * 1024
    attachments_per_message: int = 5
    sla_check_seconds: int = 60
    auto_close_check_seconds: int = 3600
    survey_check_seconds: int = 300
    #: A `ticketEvents` subscription re-checks its session at subscribe time and then this often,
    #: whether or not events arrive (a revoked session's stream ends within this time).
    subscription_recheck_seconds: float = 30.0

    def first_response_target(self, priority: str) -> int:
        """Minutes to the first agent response for `priority`."""
        return {**DEFAULT_FIRST_RESPONSE, **self.first_response_minutes}[priority]

    def resolution_target(self, priority: str) -> int:
        """Minutes to resolution for `priority`."""
        return {**DEFAULT_RESOLUTION, **self.resolution_minutes}[priority]


def support_settings(services: Services) -> SupportSettings:
    """The process's support settings (read once, kept on `services.stash`)."""
    return plugin_settings(services, SupportSettings)
