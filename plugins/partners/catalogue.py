"""The permission and event catalogues, assembled once per process from every plugin's
`register_permissions` and `register_events` (sorted by plugin, then name)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from core.context import Services
from core.contributions import EventSpec, PermissionSpec
from core.plugins import plugin_results
from core.stash import StashKey

CATALOGUE_KEY = StashKey["Catalogue"]()


@dataclass(frozen=True)
class Permission:
    """A registered permission and the plugin that defines it."""

    key: str
    plugin: str
    description: str


@dataclass(frozen=True)
class Catalogue:
    """Every permission and every webhook event of the deployment."""

    permissions: dict[str, Permission]
    events: dict[str, EventSpec]

    def by_bus_name(self, name: str) -> list[EventSpec]:
        """The webhook events built from the bus event `name`."""
        return [spec for spec in self.events.values() if spec.bus_name == name]


def build(pm: Any) -> Catalogue:
    """Collect the catalogues from the plugins."""
    permissions: dict[str, Permission] = {}
    for plugin, specs in plugin_results(pm, "register_permissions"):
        for spec in specs:
            if isinstance(spec, PermissionSpec):
                permissions.setdefault(spec.key, Permission(spec.key, plugin, spec.description))
    events: dict[str, EventSpec] = {}
    for plugin, specs in plugin_results(pm, "register_events"):
        for spec in specs:
            if isinstance(spec, EventSpec) and spec.webhook and spec.permission:
                events.setdefault(spec.name, dataclasses.replace(spec, plugin=plugin))
    return Catalogue(
        dict(sorted(permissions.items())), dict(sorted(events.items(), key=lambda i: (i[1].plugin, i[0])))
    )


def catalogue(services: Services) -> Catalogue:
    """The process's catalogue (built on first use)."""
    found = services.stash.get(CATALOGUE_KEY, None)
    if found is None:
        found = services.stash[CATALOGUE_KEY] = build(services.pm)
    return found
