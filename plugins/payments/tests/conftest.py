"""After every test of this plugin the ledger invariant must hold."""

from __future__ import annotations

import pytest

from tests.money import assert_ledger_balanced


@pytest.fixture(autouse=True)
async def _ledger_invariant(client):
    yield
    await assert_ledger_balanced(client)
