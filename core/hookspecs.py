"""The hooks of the core that every selfserve plugin may implement.

A plugin that offers an extension point of its own declares its hookspecs in its own module and
names it in its manifest (`HOOKSPECS = "plugins.<name>.hookspecs"`); the plugin manager adds every
enabled plugin's specs before it registers any plugin (as pytest's `pytest_addhooks` does). Such
hooks exist only while their owner is enabled: payment providers (payments), SMS providers, face
verifiers and the real-name decision (account), assistant actions and the human handoff
(assistant), help content (helpcenter).

Start-up hooks are synchronous and return data. Lifecycle and per-request hooks may return
awaitables and are always called through `core.plugins.call_async`. Call hooks with keyword
arguments. No async hook is `firstresult` (pluggy does not await, so it could never fall through).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from core.contributions import EventSpec

hookspec = pluggy.HookspecMarker("selfserve")
hookimpl = pluggy.HookimplMarker("selfserve")


@hookspec
def register_models():
    """Return the model modules of this plugin as `{app_label: [module path, ...]}`.

    Each plugin is one tortoise app whose label is the plugin name; its migrations live in
    `plugins/<name>/migrations`.
    """


@hookspec
def register_schema(pm):
    """Return a `core.contributions.SchemaContribution`: root query/mutation/subscription types,
    extra types, exception handlers, node types and the entitlement that gates all of them. `pm`
    lets a plugin ask the others (through its own hooks) for types its fields may return."""


@hookspec
def register_entitlements():
    """Return a list of `core.entitlements.EntitlementSpec` this plugin defines (key, product,
    bilingual title)."""


@hookspec
def register_events() -> Sequence[EventSpec]:
    """Return a list of `core.contributions.EventSpec` this plugin publishes: name, description,
    the app permission needed to receive it as a webhook, an example payload and the payload keys a
    webhook may carry. The partners plugin turns them into the webhook catalogue (`webhookEvents`)."""
    ...


@hookspec
def register_permissions():
    """Return a list of `core.contributions.PermissionSpec`: the app permissions this plugin's fields
    and events name (`tickets:read`…). Apps may only be granted registered permissions."""


@hookspec
def register_jobs():
    """Return a list of `core.jobs.JobSpec`: name, async function, optional period in seconds."""


@hookspec
def register_metrics():
    """Return a list of `core.metrics.MetricSpec` this plugin moves (with `core.metrics.count`):
    Prometheus names starting `selfserve_`, label values from small fixed sets, never ids or PII."""


@hookspec
def register_error_codes():
    """Return `{ErrorCodeName: {"en": message, "zh-CN": message}}` for this plugin's domain errors."""


@hookspec
def register_flags():
    """Return a list of `core.flag_rules.FlagSpec` (key, description, default) this plugin's code
    checks, e.g. `premium.analytics_report` for a paid add-on. Every plugin with a schema also has a
    kill switch whose key is its name, declared by the core."""


@hookspec
def flag_rules(services):
    """Return the stored `core.flag_rules.FlagRule`s the built-in OpenFeature provider evaluates
    (may be async; results are merged by key). The features plugin answers from its table."""


@hookspec
def flag_context(actor, services):
    """Return extra OpenFeature evaluation-context attributes for a signed-in user (may be async),
    e.g. `{"verifiedAdult": True, "registeredAt": "2026-01-02T03:04:05+00:00"}`. Only called when a
    flag's rule looks at who is calling."""


@hookspec
def register_routes():
    """Return extra HTTP routes (starlette `Route`s), e.g. a payment provider's webhook endpoint.

    Handlers find the process services on `request.app.state.services`.
    """


@hookspec
def register_commands(cli):
    """Add sub-commands to the `selfserve` command line; `cli` is an argparse sub-parsers object.

    Set `func=` on each parser via `set_defaults`; it receives `(settings, args)` and may be async.
    """


@hookspec
def startup(app_state):
    """Called once per process after storage, redis and jobs are ready (may be async)."""


@hookspec
def shutdown(app_state):
    """Called once per process before connections close (may be async)."""


@hookspec
def actor_from_token(token, services):
    """Return a `core.context.Actor` for a bearer token, or None when this plugin does not own it
    (may be async). The first non-None answer wins."""


@hookspec
def entitlements_for_user(user_id, services):
    """Return an iterable of entitlement keys granted to the user (may be async). Results of all
    plugins are unioned."""


@hookspec
def on_event(event, services):
    """React to a published `core.events.Event` (may be async). Runs after the publisher's
    transaction committed, in the `core.event` job, at least once: make it idempotent."""


@hookspec
def seed_demo_data(services):
    """Create this plugin's demo data for `selfserve demo` (may be async). Must be idempotent."""
