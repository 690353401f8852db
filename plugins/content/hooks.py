"""The content plugin's manifest."""

from __future__ import annotations

from core.hookspecs import hookimpl


@hookimpl
def register_models():
    return {"content": ["plugins.content.models"]}
