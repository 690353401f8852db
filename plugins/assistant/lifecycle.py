"""Start-up: train the intent model in the background so the first question is answered fast."""

from __future__ import annotations

import asyncio
import logging

from core.context import Services
from plugins.assistant.engine import get_engine
from plugins.assistant.service import settings_of

logger = logging.getLogger("selfserve.assistant")


async def on_startup(services: Services) -> None:
    """Read the settings and warm the engine (lazily in tests: many apps start there)."""
    settings_of(services)
    if services.settings.env != "test":
        services.warmups["assistant"] = asyncio.create_task(_warm(services))


async def _warm(services: Services) -> None:
    try:
        await get_engine(services)
    except Exception:  # the first question retries
        logger.exception("assistant: training the intent model failed")
