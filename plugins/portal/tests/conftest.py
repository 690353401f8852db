"""Portal tests start from the shipped help articles (the shared `client` empties every table)."""

from __future__ import annotations

import pytest

from core.db import use_orm


@pytest.fixture
async def portal(client):
    """A clean app with the shipped help articles seeded."""
    from plugins.helpcenter.api import ensure_seeded

    with use_orm(client.services.orm):
        await ensure_seeded(client.services)
    return client
