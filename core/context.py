"""Process services and the per-request context every resolver receives as `info.context`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader

from core.errors import Forbidden, NotAuthenticated
from core.i18n import DEFAULT_LANGUAGE, Catalog
from core.roles import Role
from core.stash import Stash

if TYPE_CHECKING:  # the services import this module: name their types for the checker only
    import pluggy
    from redis.asyncio import Redis
    from tortoise.context import TortoiseContext

    from core.availability import OutageMonitor
    from core.entitlements import Entitlements
    from core.events import EventBus
    from core.flags import Flags
    from core.jobs import Jobs
    from core.local_cache import CacheInvalidation
    from core.metrics import Metrics
    from core.notify import ChannelNotifier
    from core.ratelimit import RequestLimiter
    from core.security import AccessTokens, Passwords, PiiCipher, RateLimiter
    from core.settings import Settings
    from core.storage import Storage

#: Caller kinds: a signed-in person or a partner app holding a token.
USER = "USER"
APP = "APP"


@dataclass(frozen=True)
class Actor:
    """Who is calling: a user with roles, on a session that may be restricted (banned account),
    or (`kind == APP`) a partner app whose token grants `permissions` and no roles.

    For an app, `app_id` is the app's id and `user_id` is `app:<id>`, a value no user id can equal
    (code comparing a requester's id with `user_id` can never match an app); the request context
    never treats an app as a signed-in user (`RequestContext.actor` is None)."""

    user_id: str
    session_id: str | None = None
    roles: frozenset[str] = frozenset({Role.USER})
    restricted: bool = False
    language: str | None = None
    #: The plugin's own record of the user, when loading the actor fetched it (saves a query).
    record: Any = field(default=None, compare=False, repr=False)
    kind: str = USER
    app_id: str | None = None
    #: App permissions (`tickets:read`…); empty for users, whose access comes from roles.
    permissions: frozenset[str] = frozenset()
    #: An app's own per-minute rate limit (None: the deployment's default for the kind).
    rate_limit_per_minute: int | None = None
    #: An app's name, shown where it acts in place of a person (the author of an app's reply).
    name: str | None = None

    @property
    def is_app(self) -> bool:
        """True for a partner app's token."""
        return self.kind == APP

    def has_role(self, *roles: Role) -> bool:
        """True when the actor holds any of `roles` (ADMIN holds every staff role); apps hold none."""
        if self.is_app:
            return False
        return Role.ADMIN in self.roles or any(role in self.roles for role in roles)

    @property
    def user_pk(self) -> int | None:
        """The user's database id; None for an app (what "done by" columns store for an app)."""
        return int(self.user_id) if not self.is_app and self.user_id.isdigit() else None

    def has_permission(self, permission: str) -> bool:
        """True when an app's token grants `permission`."""
        return self.is_app and permission in self.permissions

    @property
    def is_staff(self) -> bool:
        """Agents, reviewers and admins."""
        return self.has_role(Role.AGENT, Role.REVIEWER)


@dataclass
class Services:
    """What lives for the whole process: built in the lifespan (`selfserve.services.open_services`),
    shared by requests and jobs. The fields without a constructor argument are set right after
    construction, before any request or job sees the object (each needs the `Services` itself)."""

    settings: Settings
    pm: pluggy.PluginManager
    orm: TortoiseContext
    redis: Redis
    catalog: Catalog
    secret_key: str
    jobs: Jobs = field(init=False)
    events: EventBus = field(init=False)
    storage: Storage = field(init=False)
    notifier: ChannelNotifier = field(init=False)
    passwords: Passwords = field(init=False)
    access_tokens: AccessTokens = field(init=False)
    pii: PiiCipher = field(init=False)
    rate_limiter: RateLimiter = field(init=False)
    entitlements: Entitlements = field(init=False)
    #: The per-caller request limit of the API.
    request_limits: RequestLimiter = field(init=False)
    #: Which dependencies are down right now.
    outages: OutageMonitor = field(init=False)
    flags: Flags = field(init=False)
    #: Start-up work `/health/ready` waits for (e.g. the help-centre index), by plugin name.
    warmups: dict[str, asyncio.Future[Any]] = field(default_factory=dict)
    #: This app's Prometheus registry (None in CLI commands).
    metrics: Metrics | None = None
    #: `selfserve.tracing.Tracing` when OpenTelemetry tracing is on, else None.
    tracer: Any = None
    #: The process's event-invalidated caches.
    caches: CacheInvalidation | None = None
    #: Plugins' own process-wide state under typed keys (`core.stash.StashKey`).
    stash: Stash = field(default_factory=Stash)


@dataclass
class RequestContext:
    """One GraphQL operation's context: the actor, language, client facts and DataLoaders."""

    services: Services
    #: The signed-in user; None for anonymous callers *and* for apps (user-only fields treat an
    #: app as anonymous). `caller` is whoever holds the token, user or app.
    actor: Actor | None = None
    caller: Actor | None = None
    language: str = DEFAULT_LANGUAGE
    ip: str = "0.0.0.0"
    user_agent: str = ""
    request_id: str = ""
    request: Any = None
    response: Any = None
    connection_params: Any = None
    #: A bearer token was sent and its owner refused it outright (a revoked app token): the whole
    #: request answers UNAUTHENTICATED instead of running as anonymous.
    credential_rejected: bool = False
    #: The request's `core.ratelimit.Verdict`, for the response headers.
    rate_limit: Any = None
    _loaders: dict[str, DataLoader] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.caller is None and self.actor is not None:
            self.caller = self.actor
        self.set_caller(self.caller)

    def set_caller(self, caller: Actor | None) -> None:
        """Make `caller` the request's caller; only a user caller becomes `actor`."""
        self.caller = caller
        self.actor = caller if caller is not None and not caller.is_app else None

    def loader(self, name: str, batch: Callable[[list[Any]], Awaitable[Sequence[Any]]]) -> DataLoader:
        """The request's DataLoader called `name`, created on first use with `batch`."""
        existing = self._loaders.get(name)
        if existing is None:
            tracer = self.services.tracer
            if tracer is not None:  # one span per batch the loader sends
                batch = tracer.traced_batch(name, batch)
            existing = self._loaders[name] = DataLoader(load_fn=batch)
        return existing

    def memo(self, key: str) -> Any:
        """A per-request memo slot (e.g. the actor's entitlements)."""
        return self._memo.get(key)

    def remember(self, key: str, value: Any) -> Any:
        """Store `value` in the memo and return it."""
        self._memo[key] = value
        return value

    def require_user(self, *, allow_restricted: bool = False) -> Actor:
        """The signed-in actor, or `UNAUTHENTICATED`; a restricted session gets `FORBIDDEN`
        unless the operation is one a banned account may still use."""
        if self.actor is None:
            raise NotAuthenticated()
        if self.actor.restricted and not allow_restricted:
            raise Forbidden(reason="restricted")
        return self.actor

    def require_caller(self) -> Actor:
        """Whoever holds the token, user or app, or `UNAUTHENTICATED` (fields whose `requires`
        already admitted the caller use it to read them)."""
        if self.caller is None:
            raise NotAuthenticated()
        return self.caller

    def message(self, code: str, **params: Any) -> str:
        """A translated message for `code` in the request's language."""
        return self.services.catalog.message(code, self.language, params)

    def message_in(self, plugin: str | None, code: str, **params: Any) -> str:
        """The message plugin `plugin` defines for `code` (core's or the owner's when it has none)."""
        return self.services.catalog.message(code, self.language, params, namespace=plugin)
