"""Hooks the help center offers (added to the plugin manager while helpcenter is enabled)."""

from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def register_help_content():
    """Return a list of directories holding Markdown help articles with YAML front matter."""
