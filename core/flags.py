"""Runtime feature flags, evaluated through the OpenFeature API with a request-built context.

Plugins declare flags with the `register_flags` hook; every plugin also gets a kill switch whose key
is its name. `Flags.enabled(key, context)` asks the OpenFeature client, passing an evaluation
context built from the request: the user id as targeting key, roles, language, the platform from
`X-Client-Platform`, and (only when the flag's rule looks at the caller) verified adult,
registration date (`flag_context` hook) and the entitlements held.

Why a named OpenFeature domain per app: OpenFeature's provider registry is process-global by
design (one `openfeature.api` per interpreter). selfserve keeps no module-level state, and tests run
several apps in one process, so each `Flags` registers its provider under its own domain
(`selfserve-<random>`) with `api.set_provider_and_wait(provider, domain=...)` and evaluates through
`api.get_client(domain)`. Apps never see each other's provider; `close()` hands the domain back to
a no-op provider. Global OpenFeature hooks or a global evaluation context set by a deployment still
apply, as OpenFeature intends.

Providers: by default the built-in `core.flag_rules.RuleProvider`, whose rules come from the
`flag_rules` hook (the features plugin's table), cached in this process and dropped when a
`feature.changed` event arrives over the event bus (redis pub/sub, every process within a second),
with a reload at least every `MAX_AGE_SECONDS` in case a message was lost. `SELFSERVE_FLAG_PROVIDER`
names another provider as `module:attribute` (see `make_provider`); flagd is the scale-out choice.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from openfeature import api
from openfeature.evaluation_context import EvaluationContext
from openfeature.provider.in_memory_provider import InMemoryFlag, InMemoryProvider
from openfeature.provider.no_op_provider import NoOpProvider

from core.context import Services
from core.flag_rules import FlagRule, FlagSpec, RuleProvider
from core.plugins import call_async, plugin_results
from core.tasks import stop_task

logger = logging.getLogger("selfserve.flags")

CHANGED = "feature.changed"
MAX_AGE_SECONDS = 30.0
PLATFORM_HEADER = "x-client-platform"


def declared_flags(pm: Any) -> dict[str, FlagSpec]:
    """Every schema plugin's kill switch (key = plugin name) plus the flags of `register_flags`, by key."""
    specs: dict[str, FlagSpec] = {}
    for name, _ in plugin_results(pm, "register_schema", pm=pm):
        specs[name] = FlagSpec(
            name, f"Kill switch of the {name} plugin: off turns all of it off.", True, name
        )
    for plugin, flags in plugin_results(pm, "register_flags"):
        for spec in flags:
            specs[spec.key] = FlagSpec(spec.key, spec.description, spec.default, spec.plugin or plugin)
    return specs


def _in_memory_flags(path: str) -> dict[str, InMemoryFlag]:
    """Flags for OpenFeature's `InMemoryProvider` from a flagd-format JSON file
    (`{"flags": {key: {"variants": {...}, "defaultVariant": "on", "state": "ENABLED"}}}`)."""
    data = json.loads(Path(path).read_text(encoding="utf-8")) if path else {"flags": {}}
    return {
        key: InMemoryFlag(
            default_variant=flag["defaultVariant"],
            variants=dict(flag["variants"]),
            state=InMemoryFlag.State(flag.get("state", "ENABLED")),
        )
        for key, flag in data.get("flags", {}).items()
    }


def make_provider(settings: Any, specs: Sequence[FlagSpec]) -> Any:
    """The provider `SELFSERVE_FLAG_PROVIDER` names (`module:attribute`), or the built-in one.

    The attribute may be a provider class (instantiated without arguments; OpenFeature's
    `InMemoryProvider` is fed from `SELFSERVE_FLAG_PROVIDER_FILE`), or a factory called with the
    settings (e.g. one that builds flagd's provider with a host and port)."""
    target = getattr(settings, "flag_provider", "")
    if not target:
        return RuleProvider(specs)
    module_name, _, attribute = target.partition(":")
    factory = getattr(importlib.import_module(module_name), attribute or "Provider")
    if isinstance(factory, type) and issubclass(factory, InMemoryProvider):
        return factory(_in_memory_flags(getattr(settings, "flag_provider_file", "")))
    if isinstance(factory, type):
        return factory()
    return factory(settings)


class Flags:
    """This process's flag evaluation (on `services.flags`)."""

    def __init__(self, services: Services, specs: dict[str, FlagSpec], provider: Any) -> None:
        self._services = services
        self.specs = specs
        self.provider = provider
        self.domain = f"selfserve-{uuid.uuid4().hex}"
        api.set_provider_and_wait(provider, domain=self.domain)
        self._client = api.get_client(self.domain)
        self._generation = 0
        self._loaded: tuple[int, float] | None = None
        #: Answers of flags that are the same for every caller, for the rules loaded as `_loaded`
        #: (the same object): evaluating them per request cost more than the rest of a small query.
        self._free: tuple[Any, dict[str, bool]] = (None, {})
        self._lock = asyncio.Lock()
        self._changed = asyncio.Event()
        self._listener: asyncio.Task | None = None

    @property
    def builtin(self) -> bool:
        """True with the built-in provider (rules stored in this deployment's database)."""
        return isinstance(self.provider, RuleProvider)

    @property
    def generation(self) -> int:
        """Grows by one whenever the flags may have changed."""
        return self._generation

    async def start(self) -> None:
        """Listen for `feature.changed` on the event bus (every process)."""
        self._listener = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async with contextlib.aclosing(self._services.events.subscribe(CHANGED)) as events:
            async for _ in events:
                self.invalidate()

    def invalidate(self) -> None:
        """Forget the cached rules and wake subscriptions that watch a flag."""
        self._generation += 1
        self._loaded = None
        self._changed.set()
        self._changed = asyncio.Event()

    async def changed(self) -> None:
        """Wait until the flags may have changed."""
        await self._changed.wait()

    async def close(self) -> None:
        """Stop listening and release the OpenFeature domain."""
        await stop_task(self._listener)
        api.set_provider(NoOpProvider(), domain=self.domain)

    async def refresh(self) -> None:
        """Reload the rules now (start-up, and tests after emptying the tables)."""
        self.invalidate()
        await self._fresh()

    async def _fresh(self) -> None:
        if not self.builtin:
            return
        loaded = self._loaded
        if loaded and loaded[0] == self._generation and time.monotonic() - loaded[1] < MAX_AGE_SECONDS:
            return
        async with self._lock:
            if self._loaded and self._loaded[0] == self._generation:
                return
            generation = self._generation
            rules: dict[str, FlagRule] = {}
            for found in await call_async(self._services.pm, "flag_rules", services=self._services):
                rules.update({rule.key: rule for rule in found})
            self.provider.replace_rules(rules)
            self._loaded = (generation, time.monotonic())

    async def rule(self, key: str) -> FlagRule | None:
        """The built-in provider's current rule of `key` (None: the declared default applies)."""
        await self._fresh()
        return self.provider.rule(key) if self.builtin else None

    async def evaluation_context(self, context: Any, *, full: bool = True) -> EvaluationContext:
        """The OpenFeature evaluation context of a request (memoised; `full` adds what costs a
        lookup: verified adult, registration date and entitlements)."""
        memo_key = f"flags:context:{'full' if full else 'light'}"
        found = context.memo(memo_key)
        if found is not None:
            return found
        actor = context.actor
        user = actor if actor is not None and getattr(actor, "kind", "USER") == "USER" else None
        is_user = user is not None
        request = getattr(context, "request", None)
        headers = getattr(request, "headers", None) or {}
        attributes: dict[str, Any] = {
            "anonymous": not is_user,
            "roles": sorted(user.roles) if user is not None else [],
            "language": context.language,
            "platform": str(headers.get(PLATFORM_HEADER, "") or "").strip().lower()[:32],
        }
        if full and is_user:
            for extra in await call_async(
                self._services.pm, "flag_context", actor=actor, services=self._services
            ):
                attributes.update(extra)
            attributes["entitlements"] = sorted(await self._services.entitlements.for_request(context))
        evaluation = EvaluationContext(
            targeting_key=user.user_id if user is not None else None, attributes=attributes
        )
        return context.remember(memo_key, evaluation)

    async def enabled(self, key: str, context: Any) -> bool:
        """Whether flag `key` is on for the caller of `context` (memoised per request and flag
        generation, so a long-lived websocket context sees changes)."""
        memo_key = f"flags:{self._generation}:{key}"
        found = context.memo(memo_key)
        if found is not None:
            return found
        await self._fresh()
        spec = self.specs.get(key)
        if spec is None:
            logger.warning("flag %r is not declared by any plugin; treating it as off", key)
            return context.remember(memo_key, False)
        full = not (self.builtin and self.provider.context_free(key))
        loaded = self._loaded
        if not full and loaded is not None and self._free[0] is loaded and key in self._free[1]:
            return context.remember(memo_key, self._free[1][key])
        evaluation = await self.evaluation_context(context, full=full)
        value = bool(await self._client.get_boolean_value_async(key, spec.default, evaluation))
        if not full and loaded is not None and self._loaded is loaded:
            if self._free[0] is not loaded:
                self._free = (loaded, {})
            self._free[1][key] = value
        return context.remember(memo_key, value)

    async def states(self, context: Any) -> list[tuple[FlagSpec, bool]]:
        """Every declared flag and whether it is on for the caller, by key."""
        return [(spec, await self.enabled(key, context)) for key, spec in sorted(self.specs.items())]

    async def watch(self, key: str, context: Any, source: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """Relay `source` (a subscription's events) until flag `key` turns off for the caller."""
        pending: asyncio.Task | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(anext(source))
                change = asyncio.ensure_future(self.changed())
                done, _ = await asyncio.wait({pending, change}, return_when=asyncio.FIRST_COMPLETED)
                if change not in done:
                    change.cancel()
                if pending in done:
                    try:
                        item = pending.result()
                    except StopAsyncIteration:
                        return
                    pending = None
                    yield item
                elif not await self.enabled(key, context):
                    return
        finally:
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
            with contextlib.suppress(Exception):
                await source.aclose()  # type: ignore[attr-defined]


async def open_flags(services: Services) -> Flags:
    """Build and start the process's flags (called once services are connected)."""
    specs = declared_flags(services.pm)
    flags = Flags(services, specs, make_provider(services.settings, list(specs.values())))
    await flags.start()
    return flags
