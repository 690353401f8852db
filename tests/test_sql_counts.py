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


# The `make bench` lists (bench/lists.py): the same selections, 1 row or 6 per page.
MY_VIDEOS = "query($first: Int) { myVideos(first: $first) { nodes { id title status durationSeconds counts { views } } } }"
QUEUE = """query($first: Int) { appealQueue(first: $first) { nodes { id status dueAt decision { kind statement }
  user { displayName } auditTrail { kind actor { displayName } } } } }"""
TICKETS = """query($first: Int) { tickets(first: $first) { edges { node { id number subject status
  requester { displayName } assignee { displayName } lastMessage { body } } } } }"""
APPEAL = """mutation($id: ID!) { appealCreate(input: {decisionId: $id, reason: "Please look at this again."})
  { ... on Appeal { id } } }"""
START_REVIEW = "mutation($id: ID!) { appealStartReview(id: $id) { __typename } }"
ROWS = 6


async def _statements_per_page(
    client, query: str, token: str, path: tuple[str, ...]
) -> list[tuple[int, int]]:
    """(rows answered, SQL statements) for a page of 1 and a page of ROWS, after a warm-up request."""
    await client.gql(query, {"first": 1}, token=token)
    counts = []
    for first in (1, ROWS):
        with QueryCounter() as counted:
            body = await client.gql(query, {"first": first}, token=token)
        assert "errors" not in body, body
        rows = body["data"]
        for key in path:
            rows = rows[key]
        counts.append((len(rows), counted.count))
    return counts


async def test_my_videos_list_costs_the_same_statements_for_1_or_many_videos(client):
    from tests.moderation import published_video

    creator = await client.signup(name="Creator")
    for _ in range(ROWS):
        await published_video(client, creator)
    counts = await _statements_per_page(client, MY_VIDEOS, creator.token, ("myVideos", "nodes"))
    assert [rows for rows, _ in counts] == [1, ROWS]
    assert counts[0][1] == counts[1][1] <= 1  # the page (the actor is cached)


async def test_appeal_queue_costs_the_same_statements_for_1_or_many_appeals(client):
    """Decisions, users and audit trails with their actors: one query each for the whole page."""
    from tests.moderation import published_video, remove

    creator = await client.signup(name="Creator")
    moderator = await client.signup(name="Moderator", roles=("REVIEWER",))
    reviewer = await client.signup(name="Reviewer", roles=("REVIEWER",))
    for i in range(ROWS):
        video = await published_video(client, creator)
        decision = await remove(client, moderator, video["id"])
        appeal = (await client.gql(APPEAL, {"id": decision["id"]}, token=creator.token))["data"][
            "appealCreate"
        ]
        if i % 2:  # a two-step trail with another actor
            await client.gql(START_REVIEW, {"id": appeal["id"]}, token=reviewer.token)
    counts = await _statements_per_page(client, QUEUE, reviewer.token, ("appealQueue", "nodes"))
    assert [rows for rows, _ in counts] == [1, ROWS]
    assert counts[0][1] == counts[1][1] <= 4  # page, decisions, audit trails, users
    body = await client.gql(QUEUE, {"first": ROWS}, token=reviewer.token)
    trails = [
        [e["actor"]["displayName"] for e in n["auditTrail"]] for n in body["data"]["appealQueue"]["nodes"]
    ]
    assert sorted(map(tuple, trails)) == [("Creator",)] * (ROWS // 2) + [("Creator", "Reviewer")] * (
        ROWS // 2
    )


async def test_ticket_list_costs_the_same_statements_for_1_or_many_tickets(client):
    """Requesters, assignees and last messages: one query each for the whole page."""
    from tests.tickets import create_ticket, make_available, reply

    requester = await client.signup(name="Requester")
    agent = await client.signup(name="Agent", roles=("AGENT",))
    await make_available(client, agent)
    for i in range(ROWS):
        ticket = await create_ticket(client, requester, subject=f"Refund {i}")
        await reply(client, agent, ticket["id"], f"Looking into refund {i}.")
    counts = await _statements_per_page(client, TICKETS, agent.token, ("tickets", "edges"))
    assert [rows for rows, _ in counts] == [1, ROWS]
    assert counts[0][1] == counts[1][1] <= 3  # page, users, last messages
    body = await client.gql(TICKETS, {"first": ROWS}, token=agent.token)
    nodes = [e["node"] for e in body["data"]["tickets"]["edges"]]
    assert {(n["requester"]["displayName"], n["assignee"]["displayName"]) for n in nodes} == {
        ("Requester", "Agent")
    }
    assert all(n["lastMessage"]["body"].startswith("Looking into refund") for n in nodes)
