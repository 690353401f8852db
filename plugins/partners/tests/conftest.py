"""Fixtures of the partners tests: fast webhook settings and a fake resolver, restored afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.settings import use_plugin_settings
from plugins.partners.egress import RESOLVER_KEY
from plugins.partners.settings import WebhookSettings


@pytest.fixture
def webhooks(client: Any) -> Iterator[WebhookSettings]:
    """Fast retries for tests (the schedule is a setting); tests may change fields."""
    settings = WebhookSettings(
        allow_private=True, retry_schedule=(0.05, 0.1), jitter=0.0, timeout_seconds=2.0,
        lease_seconds=0.5,
    )  # fmt: skip
    with use_plugin_settings(client.services, settings):
        yield settings
    client.services.stash.pop(RESOLVER_KEY, None)


@pytest.fixture
def dns(client: Any) -> Iterator[dict[str, list[str]]]:
    """A resolver the test controls: `dns["hooks.example.com"] = ["93.184.216.34"]`."""
    answers: dict[str, list[str]] = {}

    async def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    client.services.stash[RESOLVER_KEY] = resolve
    yield answers
    client.services.stash.pop(RESOLVER_KEY, None)
