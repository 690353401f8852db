"""Deployment settings, read from `SELFSERVE_*` environment variables (pydantic-settings)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

S = TypeVar("S", bound=BaseSettings)


class Settings(BaseSettings):
    """Everything a deployment may configure. Defaults run on a bare laptop."""

    model_config = SettingsConfigDict(env_prefix="SELFSERVE_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    var_dir: Path = Path("./var")
    database_url: str = ""
    redis_url: str = ""
    secret_key: str = ""
    plugins: str = ""
    notifier: Literal["outbox", "smtp"] = "outbox"
    sms_provider: str = ""
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_sender: str = "selfserve@localhost"
    smtp_tls: bool = False
    base_url: str = "http://127.0.0.1:8000"
    # Jobs run inside the API process unless a `selfserve worker` pool is deployed (redis broker).
    jobs_in_process: bool = True

    # Feature flags: an OpenFeature provider as `module:attribute` (empty: the built-in database
    # provider), and a flagd-format JSON file for OpenFeature's InMemoryProvider.
    flag_provider: str = ""
    flag_provider_file: str = ""

    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_days: int = 30

    # GraphQL request limits (GraphQL Armor-style defaults, see DESIGN.md).
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_body_bytes: int = 100_000
    max_mutations_per_request: int = 5
    max_page_size: int = 100
    parser_cache_size: int = 512

    # Login throttling.
    login_free_failures: int = 5
    login_failure_ceiling: int = 100

    upload_max_bytes: int = 500 * 1024 * 1024

    @field_validator("plugins")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @property
    def is_production(self) -> bool:
        """True when running as a production deployment (introspection, GraphiQL off)."""
        return self.env == "production"

    @property
    def effective_database_url(self) -> str:
        """The configured database, or a SQLite file in `var_dir`."""
        if self.database_url:
            return self.database_url
        return f"sqlite://{(self.var_dir / 'selfserve.sqlite3').resolve()}"

    @property
    def plugin_names(self) -> tuple[str, ...] | None:
        """Plugins chosen by `SELFSERVE_PLUGINS` (comma separated), or None for all defaults."""
        if not self.plugins:
            return None
        return tuple(name.strip() for name in self.plugins.split(",") if name.strip())

    def resolved_secret_key(self) -> str:
        """The secret key; generated once into `var_dir` outside production.

        Production must configure it explicitly: a generated key would differ per process and
        silently invalidate every token.
        """
        if self.secret_key:
            return self.secret_key
        if self.is_production:
            raise RuntimeError("SELFSERVE_SECRET_KEY is required when SELFSERVE_ENV=production")
        path = self.var_dir / "secret_key"
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    @property
    def media_dir(self) -> Path:
        """Where the local storage backend keeps files."""
        return self.var_dir / "media"

    @property
    def outbox_path(self) -> Path:
        """The development notifier's JSON-lines outbox."""
        return self.var_dir / "outbox.jsonl"


def secret_default() -> str:
    """A fresh random secret (used by tests that want an isolated key)."""
    return secrets.token_urlsafe(48)


def plugin_settings(services: Any, settings_class: type[S]) -> S:
    """A plugin's own settings (a `BaseSettings` subclass with its `SELFSERVE_<PLUGIN>_` prefix),
    read from the environment once per process and kept on `services.extras` under the class
    (tests may put another instance there)."""
    found = services.extras.get(settings_class)
    if found is None:
        found = services.extras[settings_class] = settings_class()
    return found
