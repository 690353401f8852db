"""Process services and the per-request context every resolver receives as `info.context`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from core.errors import Forbidden, NotAuthenticated
from core.i18n import DEFAULT_LANGUAGE, Catalog


@dataclass(frozen=True)
class Actor:
    """Who is calling: a user with roles, on a session that may be restricted (banned account)."""

    user_id: str
    session_id: str | None = None
    roles: frozenset[str] = frozenset({"USER"})
    restricted: bool = False
    language: str | None = None
    #: The plugin's own record of the user, when loading the actor fetched it (saves a query).
    record: Any = field(default=None, compare=False, repr=False)

    def has_role(self, *roles: str) -> bool:
        """True when the actor holds any of `roles` (ADMIN holds every staff role)."""
        return "ADMIN" in self.roles or any(role in self.roles for role in roles)

    @property
    def is_staff(self) -> bool:
        """Agents, reviewers and admins."""
        return self.has_role("AGENT", "REVIEWER")


@dataclass
class Services:
    """What lives for the whole process: built in the lifespan, shared by requests and jobs."""

    settings: Any
    pm: Any
    orm: Any
    redis: Any
    catalog: Catalog
    secret_key: str
    jobs: Any = None
    events: Any = None
    storage: Any = None
    notifier: Any = None
    passwords: Any = None
    access_tokens: Any = None
    pii: Any = None
    rate_limiter: Any = None
    entitlements: Any = None
    flags: Any = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class RequestContext:
    """One GraphQL operation's context: the actor, language, client facts and DataLoaders."""

    services: Services
    actor: Actor | None = None
    language: str = DEFAULT_LANGUAGE
    ip: str = "0.0.0.0"
    user_agent: str = ""
    request_id: str = ""
    request: Any = None
    response: Any = None
    connection_params: Any = None
    _loaders: dict[str, DataLoader] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def loader(self, name: str, batch: Callable[[Sequence[Any]], Awaitable[list[Any]]]) -> DataLoader:
        """The request's DataLoader called `name`, created on first use with `batch`."""
        existing = self._loaders.get(name)
        if existing is None:
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

    def require_role(self, *roles: str) -> Actor:
        """The actor if it holds one of `roles`, else `UNAUTHENTICATED` / `FORBIDDEN`."""
        actor = self.require_user()
        if not actor.has_role(*roles):
            raise Forbidden()
        return actor

    def message(self, code: str, **params: Any) -> str:
        """A translated message for `code` in the request's language."""
        return self.services.catalog.message(code, self.language, params)
