"""ASGI entry point for uvicorn (`selfserve.asgi:app`), configured from the environment.

Each served process imports this module (uvicorn's `--workers` start new interpreters), so it
also configures the process's logging (`selfserve.logs`)."""

from __future__ import annotations

from core.settings import Settings
from selfserve.app import create_app
from selfserve.logs import configure_logging

settings = Settings()
configure_logging(settings)
# A served process keeps its start-up heap for its whole life: freeze it (see the function).
app = create_app(settings, freeze_heap=True)
