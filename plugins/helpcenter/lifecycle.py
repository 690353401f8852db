"""Start-up and demo seeding: articles from every plugin's Markdown, then the search library."""

from __future__ import annotations

import asyncio
import logging

from core.context import Services
from plugins.helpcenter.library import articles_changed, get_library
from plugins.helpcenter.seed import seed_help_content

logger = logging.getLogger("selfserve.helpcenter")


async def on_startup(services: Services) -> None:
    """Seed shipped articles (idempotent) and warm the library.

    Tests start many apps and empty the tables between tests: there the library is built lazily on
    first use instead, to keep start-up fast.
    """
    written = await seed_help_content(services)
    if written:
        await articles_changed(services)
        logger.info("helpcenter: seeded %d article(s)", written)
    if services.settings.env != "test":
        services.warmups["helpcenter"] = asyncio.create_task(_warm(services))


async def _warm(services: Services) -> None:
    from core.db import use_orm

    with use_orm(services.orm):
        try:
            await get_library(services)
        except Exception:  # a failed warm-up is retried by the first search
            logger.exception("helpcenter: building the search library failed")


async def seed_demo(services: Services) -> list[str]:
    """`selfserve demo`: the shipped articles (also seeded on every start)."""
    written = await seed_help_content(services)
    if written:
        await articles_changed(services)
    return [f"{written} help article(s)"] if written else []
