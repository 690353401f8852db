"""SQL statements per request are deterministic: asserted here (timing never is)."""

from __future__ import annotations

from core.db import QueryCounter, use_orm

ME = "{ me { id displayName email roles sessions { edges { node { deviceName current } } } } }"


async def test_me_with_sessions_costs_the_same_for_one_or_many_sessions(client):
    account = await client.signup(email="counted@example.com", password="counted password 1")
    await client.gql(ME, token=account.token)  # fills the actor cache: both counts below hit it
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
    assert one.count <= 2  # the sessions page, and nothing per session (the actor is cached)


async def test_me_from_a_warm_actor_cache_costs_no_sql(client):
    """The `make bench` `me` workload: token verified and actor read once, then served from memory."""
    account = await client.signup(name="Benched")
    client.services.caches.invalidate_here(["*"])  # signup warmed it: start cold
    with QueryCounter() as first:
        cold = await client.gql("{ me { id displayName } }", token=account.token)
    with QueryCounter() as warm:
        body = await client.gql("{ me { id displayName } }", token=account.token)
    assert cold == body
    assert body["data"]["me"]["displayName"] == "Benched"
    assert (first.count, warm.count) == (1, 0)


async def test_help_article_list_costs_two_statements_whatever_the_page_size(client):
    """The `make bench` list workload: the page and its categories, nothing per article or medium."""
    query = """query($first: Int) { helpArticles(first: $first) { nodes { id slug topic title summary
      locale updatedAt helpfulCount version media { kind url caption } category { key name } } } }"""
    from plugins.helpcenter.api import ensure_seeded

    with use_orm(client.services.orm):
        await ensure_seeded(client.services)
    await client.gql(query, {"first": 1})  # the process loads its flag rules once
    counts = []
    for first in (2, 100):
        with QueryCounter() as counted:
            body = await client.gql(query, {"first": first}, headers={"Accept-Language": "en"})
        assert "errors" not in body, body
        counts.append((len(body["data"]["helpArticles"]["nodes"]), counted.count))
    assert counts[0] == (2, 2)
    assert counts[1][0] > 30  # the shipped English articles
    assert counts[1][1] == 2
