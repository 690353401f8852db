"""Appeals settings (`SELFSERVE_APPEALS_*`): review target and evidence limits (platform-facts.md)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from core.context import Services
from core.settings import plugin_settings


class AppealsSettings(BaseSettings):
    """Appeals configuration, read from the environment once per process."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_APPEALS_", extra="ignore")

    sla_hours: int = 48
    max_evidence_files: int = 5
    max_evidence_bytes: int = 20 * 1024 * 1024
    min_reason_chars: int = 10
    max_reason_chars: int = 2000
    max_note_chars: int = 2000


def appeals_settings(services: Services) -> AppealsSettings:
    """The process's appeals settings (read once, kept on `services.stash`)."""
    return plugin_settings(services, AppealsSettings)
