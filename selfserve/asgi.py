"""ASGI entry point for uvicorn (`selfserve.asgi:app`), configured from the environment."""

from __future__ import annotations

from selfserve.app import create_app

app = create_app()
