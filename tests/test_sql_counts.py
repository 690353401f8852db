"""SQL statements per request are deterministic: asserted here (timing never is)."""

from __future__ import annotations

from core.db import QueryCounter

ME = "{ me { id displayName email roles sessions { edges { node { deviceName current } } } } }"


async def test_me_with_sessions_costs_the_same_for_one_or_many_sessions(client):
    account = await client.signup(email="counted@example.com", password="counted password 1")
    with QueryCounter() as one:
        await client.gql(ME, token=account.token)
    for _ in range(5):
        await client.gql(
            'mutation { accountLogin(input: {login: "counted@example.com", password: "counted password 1"}) { __typename } }'
        )
    with QueryCounter() as many:
        body = await client.gql(ME, token=account.token)
    assert len(body["data"]["me"]["sessions"]["edges"]) == 6
    assert one.count == many.count
    assert one.count <= 3  # the actor's user row, the sessions page, and nothing per session
