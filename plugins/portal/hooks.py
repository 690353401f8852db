"""The portal plugin's manifest: routes only (it adds nothing to the GraphQL schema)."""

from __future__ import annotations

from core.hookspecs import hookimpl

PLUGIN_NAME = "portal"
#: Plugins this one cannot run without; start-up refuses a set that lacks one.
REQUIRES: tuple[str, ...] = ("account", "helpcenter")
#: Plugins whose pages appear when they are enabled.
OPTIONAL: tuple[str, ...] = (
    "assistant",
    "support",
    "content",
    "appeals",
    "payments",
    "premium",
    "community",
    "features",
    "partners",
    "feedback",
)


@hookimpl
def register_routes():
    from plugins.portal.routes import routes

    return routes()


@hookimpl
def register_commands(cli):
    from plugins.portal.manifest import register

    register(cli)
