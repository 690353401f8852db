"""The plugin manager: which plugins run, and how their hooks are called."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable
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
    "features",
)

ENTRY_POINT_GROUP = "selfserve.plugins"


class PluginError(RuntimeError):
    """A plugin could not be loaded or contributes something that conflicts."""


def get_plugin_manager(
    names: Iterable[str] | None = None, extra: Iterable[Any] = (), load_entry_points: bool = True
) -> pluggy.PluginManager:
    """Build a plugin manager with the chosen built-in plugins (default: all) plus entry points.

    `names` come from `SELFSERVE_PLUGINS`; each is a built-in name or a dotted module path whose
    module holds `@hookimpl` functions. `extra` registers already imported modules (tests).
    """
    pm = pluggy.PluginManager("selfserve")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS if names is None else names:
        module_path = f"plugins.{name}.hooks" if "." not in name else name
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as error:
            raise PluginError(f"unknown plugin {name!r} ({error})") from error
        pm.register(module, name=name.rsplit(".", 1)[-1] if "." in name else name)
    for module in extra:
        pm.register(module, name=getattr(module, "PLUGIN_NAME", None) or module.__name__)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    return pm


def plugin_results(pm: pluggy.PluginManager, hook_name: str, **kwargs: Any) -> list[tuple[str, Any]]:
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
    for value in results:
        if inspect.isawaitable(value):
            value = await value
        if value is not None:
            awaited.append(value)
    return awaited


def enabled(pm: pluggy.PluginManager, name: str) -> bool:
    """True when plugin `name` is registered in this deployment."""
    return pm.get_plugin(name) is not None
