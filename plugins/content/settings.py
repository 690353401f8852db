"""Content settings (`SELFSERVE_CONTENT_*`): upload limits, the restore window and the appeal window
of decisions (defaults from docs/platform-facts.md)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from core.context import Services
from core.settings import plugin_settings


class ContentSettings(BaseSettings):
    """Content configuration, read from the environment once per process."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_CONTENT_", extra="ignore")

    max_video_bytes: int = 500 * 1024 * 1024
    max_video_seconds: int = 15 * 60
    max_cover_bytes: int = 5 * 1024 * 1024
    restore_days: int = 30
    appeal_window_days: int = 180
    max_title_chars: int = 100
    max_description_chars: int = 2000
    max_tags: int = 10
    max_tag_chars: int = 30
    max_comment_chars: int = 500
    max_keywords: int = 200
    expired_bans_check_seconds: int = 300


def content_settings(services: Services) -> ContentSettings:
    """The process's content settings (read once, kept on `services.stash`)."""
    return plugin_settings(services, ContentSettings)
