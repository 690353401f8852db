"""The plugin manager: which plugins run, and how their hooks are called."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pluggy

from core import hookspecs

DEFAULT_PLUGINS: tuple[str, ...] = (
    "account",
    "content",
    "appeals",
    "payments",
    "premium",
    "helpcenter",
    "assistant",
    "support",
    "community",
    "feedback",
    "ads",
    "partners",
    "features",
    "portal",
)

ENTRY_POINT_GROUP = "selfserve.plugins"


class PluginError(RuntimeError):
    """A plugin could not be loaded, lacks a plugin it requires, or contributes a conflict."""


@dataclass(frozen=True)
class PluginInfo:
    """What a plugin's manifest (`hooks.py`) declares about itself.

    `REQUIRES`: plugins it cannot run without (start-up refuses a set that lacks one);
    `OPTIONAL`: plugins it cooperates with when they are enabled (checked with `enabled()`);
    `HOOKSPECS`: the dotted path of a module of the hookspecs it offers to the others.
    """

    name: str
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    hookspecs: str | None = None


def plugin_info(module: Any, fallback: str) -> PluginInfo:
    """The declarations of a manifest module; `fallback` names it when it declares no name."""
    return PluginInfo(
        name=getattr(module, "PLUGIN_NAME", None) or fallback,
        requires=tuple(getattr(module, "REQUIRES", ())),
        optional=tuple(getattr(module, "OPTIONAL", ())),
        hookspecs=getattr(module, "HOOKSPECS", None),
    )


def requested_plugins(names: Iterable[str] | None) -> list[str]:
    """The plugin names a deployment asked for: the built-in defaults when nothing is set; an entry
    starting with `+` adds a plugin to the defaults (`+hello` or `SELFSERVE_PLUGINS=+hello,+other`)."""
    if names is None:
        return list(DEFAULT_PLUGINS)
    names = [name.strip() for name in names if name.strip()]
    if names and all(name.startswith("+") for name in names):
        return [*DEFAULT_PLUGINS, *(name[1:] for name in names if name[1:] not in DEFAULT_PLUGINS)]
    if any(name.startswith("+") for name in names):
        raise PluginError("SELFSERVE_PLUGINS: use either a full list or only `+name` additions, not both")
    return names


def _entry_points() -> dict[str, Any]:
    return {entry.name: entry for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def _load(name: str, entry_points: dict[str, Any]) -> tuple[Any, str]:
    """The manifest module for a requested name and the name it registers under by default."""
    if "." not in name and importlib.util.find_spec(f"plugins.{name}") is not None:
        return importlib.import_module(f"plugins.{name}.hooks"), name
    if name in entry_points:
        return entry_points[name].load(), name
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as error:
        known = sorted({*DEFAULT_PLUGINS, *entry_points})
        raise PluginError(f"unknown plugin {name!r} (built-in or installed: {', '.join(known)})") from error
    parts = name.split(".")
    # `hello.hooks` is the plugin `hello`, not `hooks`.
    return module, parts[-2] if parts[-1] == "hooks" and len(parts) > 1 else parts[-1]


def check_requirements(infos: list[PluginInfo]) -> None:
    """Refuse a plugin set in which an enabled plugin lacks one it requires."""
    present = {info.name for info in infos}
    missing = [
        f"plugin {info.name!r} requires {needed!r}, which is not enabled"
        for info in infos
        for needed in info.requires
        if needed not in present
    ]
    if missing:
        raise PluginError("; ".join(missing) + " (add it to SELFSERVE_PLUGINS)")


def get_plugin_manager(
    names: Iterable[str] | None = None, extra: Iterable[Any] = (), load_entry_points: bool = True
) -> pluggy.PluginManager:
    """Build a plugin manager with the requested plugins (default: the built-in set).

    Each name is a built-in plugin, an installed `selfserve.plugins` entry point, or a dotted module
    path of a manifest; installed plugins run only when named, like built-ins. Every plugin
    registers under its declared `PLUGIN_NAME`, after the hookspecs every plugin offers
    (`HOOKSPECS`) were added. `extra` registers already imported manifests
    (tests). A plugin whose `REQUIRES` are not all enabled stops start-up with a `PluginError`.
    """
    pm = pluggy.PluginManager("selfserve")
    pm.add_hookspecs(hookspecs)
    entry_points = _entry_points() if load_entry_points else {}
    infos: list[PluginInfo] = []
    modules = [_load(name, entry_points) for name in requested_plugins(names)]
    modules += [(module, getattr(module, "__name__", "extra")) for module in extra]
    # Every plugin's own hookspecs first, so implementations in any plugin are checked against them.
    for module, default_name in modules:
        declared = plugin_info(module, default_name).hookspecs
        if declared:
            pm.add_hookspecs(importlib.import_module(declared))
    for module, default_name in modules:
        info = plugin_info(module, default_name)
        if pm.get_plugin(info.name) is not None:
            raise PluginError(f"plugin {info.name!r} is enabled twice")
        pm.register(module, name=info.name)
        infos.append(info)
    check_requirements(infos)
    return pm


def plugin_infos(pm: pluggy.PluginManager) -> dict[str, PluginInfo]:
    """The declarations of every registered plugin, by name."""
    return {name: plugin_info(module, name) for name, module in pm.list_name_plugin()}


def plugin_results(pm: pluggy.PluginManager, hook_name: str, /, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call a start-up hook and return `(plugin name, result)` pairs sorted by plugin name.

    Sorting keeps the SDL and every other assembled artefact deterministic.
    """
    hook = getattr(pm.hook, hook_name)
    results = []
    for impl in hook.get_hookimpls():
        value = impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        if value is not None:
            results.append((impl.plugin_name, value))
    return sorted(results, key=lambda pair: pair[0])


async def call_async(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> list[Any]:
    """Call a hook whose implementations may be sync or async; await each awaitable result."""
    results = getattr(pm.hook, hook_name)(**kwargs)
    awaited = []
    for index, value in enumerate(results):
        if inspect.isawaitable(value):
            try:
                value = await value
            except BaseException:
                # pluggy already created the later coroutines: close them instead of leaking them.
                for rest in results[index + 1 :]:
                    if inspect.iscoroutine(rest):
                        rest.close()
                raise
        if value is not None:
            awaited.append(value)
    return awaited


def implemented(pm: pluggy.PluginManager, hook_name: str) -> bool:
    """True when some enabled plugin implements `hook_name` (a plugin-owned extension point such as
    the assistant's `handoff_ticket`: no implementation means the feature is not offered)."""
    hook = getattr(pm.hook, hook_name, None)
    return hook is not None and bool(hook.get_hookimpls())


def enabled(pm: pluggy.PluginManager, name: str) -> bool:
    """True when plugin `name` is registered in this deployment."""
    return pm.get_plugin(name) is not None
