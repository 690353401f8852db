"""A headless Chromium for browser tests (Playwright with `executable_path=/usr/bin/chromium`).

Without Chromium the browser tests skip, unless `REQUIRE_SERVICES=1` (CI), where `.ci/run`
installs Debian's `chromium` and a missing browser is a failure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.backends import require_services

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    """One headless Chromium for the session."""
    if not CHROMIUM.exists():
        if require_services():
            pytest.fail("REQUIRE_SERVICES=1 but /usr/bin/chromium is missing (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield chromium
        finally:
            await chromium.close()
