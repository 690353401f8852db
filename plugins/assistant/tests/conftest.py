"""Assistant tests start from the shipped help articles (the shared `client` empties every table)."""

from __future__ import annotations

import json

import pytest

from core.db import use_orm

ASK = """mutation($m: String!, $c: ID) { assistantAsk(input: {message: $m, conversationId: $c}) {
  conversationId answer topic confidence handoff
  articles { slug locale topic } actions { kind label target } } }"""


@pytest.fixture
async def bot(client):
    """A clean app with the shipped help articles seeded and the library rebuilt."""
    from plugins.helpcenter.api import ensure_seeded

    with use_orm(client.services.orm):
        await ensure_seeded(client.services)
    return client


async def ask(client, message, conversation=None, *, token=None, language=None):
    """Send one message; returns the whole response body."""
    headers = {"Accept-Language": language} if language else None
    return await client.gql(ASK, {"m": message, "c": conversation}, token=token, headers=headers)


async def ask_raw(client, message):
    """Send a message with the JSON escaped by hand (lone surrogates travel as escapes)."""
    payload = json.dumps({"query": ASK, "variables": {"m": message}})
    response = await client.http.post(
        "/graphql", content=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status_code < 500, response.text
    return response.json()
