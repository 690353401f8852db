"""The assistant's own settings (`SELFSERVE_ASSISTANT_*` environment variables)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class AssistantSettings(BaseSettings):
    """Limits of the assistant. The per-IP limit is generous: offices and campuses share an IP."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_ASSISTANT_", extra="ignore")

    rate_limit_ip: int = 1000
    rate_limit_user: int = 300
    rate_window_seconds: int = 600
    max_message_chars: int = 2000
    #: Messages kept per conversation (older ones are refused: start a new conversation).
    max_messages: int = 400
    #: Where an anonymous user signs in to get answers from their own data.
    sign_in_url: str = "/login"
