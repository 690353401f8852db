"""Deployment settings, read from `SELFSERVE_*` environment variables (pydantic-settings)."""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.context import Services
from core.stash import StashKey

S = TypeVar("S", bound=BaseSettings)
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Comma-separated CIDRs (a bare address is a /32 or /128); ValueError names a bad one."""
    networks = []
    for part in (text or "").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(f"not a CIDR in SELFSERVE_TRUSTED_PROXIES: {part.strip()!r}") from None
    return tuple(networks)


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
    # Browser origins (comma separated, e.g. `https://app.example.com`) allowed to call the API with
    # credentials; the deployment's own origin (`base_url`) is always allowed. None by default.
    cors_origins: str = ""
    cors_max_age_seconds: int = 600
    # Jobs run inside the API process unless a `selfserve worker` pool is deployed (redis broker).
    jobs_in_process: bool = True
    # Jobs (see docs/operations.md): a job a stopped worker had taken is re-claimed after it was
    # idle this long; retries back off exponentially from the base to the cap; dead letters that
    # failed for a transient reason are replayed automatically, the pause doubling from this.
    jobs_claim_idle_seconds: float = 60.0
    jobs_worker_concurrency: int = 20
    jobs_relay_interval_seconds: float = 2.0
    jobs_tick_seconds: float = 5.0
    jobs_retry_base_seconds: float = 2.0
    jobs_retry_max_seconds: float = 300.0
    jobs_dead_replay_seconds: float = 60.0
    # SIGTERM: the worker stops taking jobs and waits this long for the running ones.
    jobs_shutdown_grace_seconds: float = 30.0

    # Feature flags: an OpenFeature provider as `module:attribute` (empty: the built-in database
    # provider), and a flagd-format JSON file for OpenFeature's InMemoryProvider.
    flag_provider: str = ""
    flag_provider_file: str = ""

    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_days: int = 30
    #: Per-process cache of verified access tokens and their actors (core/local_cache.py): entries
    #: are dropped by events (ban, role change, session revocation, any user row write) in every
    #: process; the TTL is only a safety net. 0 turns the cache off.
    actor_cache_seconds: float = 10.0
    actor_cache_size: int = 10_000

    # GraphQL request limits (GraphQL Armor-style defaults, see docs/security.md).
    max_query_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_body_bytes: int = 100_000
    # Variables nest at most this deep (objects and lists); see schema/inputs.py.
    max_input_depth: int = 32
    max_mutations_per_request: int = 5
    max_page_size: int = 100
    parser_cache_size: int = 512

    # Persisted documents (docs/api.md): APQ documents kept in redis this long, at most this many
    # (the oldest go first); a trusted-documents manifest (GraphQL Code Generator's
    # persisted-documents.json) makes /graphql run only the documents it lists.
    persisted_queries_ttl_seconds: int = 7 * 86400
    persisted_queries_max_entries: int = 10_000
    trusted_documents: str = ""

    # Requests per minute per signed-in user and per IP for anonymous callers (apps have their own).
    rate_limit_user_per_minute: int = 1200
    rate_limit_ip_per_minute: int = 600
    rate_limit_app_per_minute: int = 700

    # Login throttling.
    login_free_failures: int = 5
    login_failure_ceiling: int = 100
    #: Failures from one client address before attempts on accounts never signed in from its
    #: network wait (a growing delay); accounts already known on that network are not held up.
    login_ip_free_failures: int = 50

    #: Reverse proxies whose `X-Forwarded-For` is believed (comma-separated CIDRs, e.g.
    #: "10.0.0.0/8,127.0.0.1/32"). Empty: the TCP peer is the client.
    trusted_proxies: str = ""

    upload_max_bytes: int = 500 * 1024 * 1024

    #: `selfserve demo` (demo users with a published password, one of them ADMIN) is
    #: development-only: unset means allowed outside production and refused in production;
    #: `SELFSERVE_DEMO_DATA=true` allows it anyway (logged at WARNING).
    demo_data: bool | None = None
    # Reliability (docs/operations.md): a frozen dependency costs a request at most the deadline.
    request_deadline_seconds: float = 10.0
    #: What `Retry-After` says while a dependency is down.
    retry_after_seconds: int = 5
    #: PostgreSQL connections per process (asyncpg pool); size it to the database's max_connections.
    database_pool_size: int = 10
    database_connect_timeout_seconds: float = 3.0
    #: asyncpg `command_timeout` and the server's `statement_timeout`.
    database_command_timeout_seconds: float = 5.0
    redis_socket_timeout_seconds: float = 3.0
    redis_connect_timeout_seconds: float = 2.0
    redis_health_check_interval_seconds: int = 10
    #: `/health` calls `VAR_DIR` full below this many free bytes.
    var_dir_min_free_bytes: int = 50 * 1024 * 1024

    # Observability (docs/operations.md). `/metrics` needs `Authorization: Bearer <metrics_token>`
    # when a token is set; without one it answers only loopback callers, and 404 in production.
    metrics_token: str = ""
    #: A separate metrics listener (`selfserve serve` and `selfserve worker`), 0 for none; it binds
    #: `metrics_host` (loopback by default: keep it on an internal network).
    metrics_port: int = 0
    metrics_host: str = "127.0.0.1"
    #: Distinct operation names a process labels metrics with; later names count as `_other`.
    metrics_max_operation_names: int = 200
    #: `json` (one JSON object per line) or `console`; empty: json in production, console elsewhere.
    log_format: Literal["", "json", "console"] = ""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: OTLP/HTTP collector (e.g. `http://otel-collector:4318`); empty: no tracing. Needs the
    #: `otel` extra.
    otel_endpoint: str = ""
    otel_service_name: str = "selfserve"

    @field_validator("plugins")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        parse_networks(value)  # a typo must stop start-up, not silently trust nobody (or everybody)
        return value.strip()

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        """`SELFSERVE_TRUSTED_PROXIES` as networks."""
        return parse_networks(self.trusted_proxies)

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
    def cors_allowed_origins(self) -> list[str]:
        """The origins CORS admits: the listed ones plus the deployment's own."""
        own = "/".join(self.base_url.split("/")[:3])
        listed = [origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()]
        return sorted({own, *listed})

    @property
    def effective_log_format(self) -> str:
        """`json` or `console` (`SELFSERVE_LOG_FORMAT`, by default json in production)."""
        return self.log_format or ("json" if self.is_production else "console")

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


#: Plugins' own settings by class, read once per process (see `plugin_settings`).
PLUGIN_SETTINGS = StashKey[dict[type, Any]]()


def plugin_settings(services: Services, settings_class: type[S]) -> S:
    """A plugin's own settings (a `BaseSettings` subclass with its `SELFSERVE_<PLUGIN>_` prefix),
    read from the environment once per process and kept on `services.stash` (tests may put another
    instance there with `use_plugin_settings`)."""
    known = services.stash.setdefault(PLUGIN_SETTINGS, {})
    found = known.get(settings_class)
    if found is None:
        found = known[settings_class] = settings_class()
    return found


@contextlib.contextmanager
def use_plugin_settings(services: Services, settings: S) -> Iterator[S]:
    """Make `settings` the process's instance of its class until the block ends (tests)."""
    known = services.stash.setdefault(PLUGIN_SETTINGS, {})
    previous = known.get(type(settings))
    known[type(settings)] = settings
    try:
        yield settings
    finally:
        if previous is None:
            known.pop(type(settings), None)
        else:
            known[type(settings)] = previous
