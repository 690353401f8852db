"""Thread lists: cursor pagination, SQL counts that do not grow with page size, search, api."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import QueryCounter, use_orm
from plugins.community import api
from plugins.community.boards import ensure_default_boards
from plugins.community.models import Board, Reply, Thread
from plugins.community.tests.gql import ACCEPT, THREADS, VOTE, new_reply, new_thread
from tests.helpers import account_user_pk

SEARCH = "query($q: String!) { forumSearch(query: $q) { score snippet thread { id title } } }"


async def _seed_threads(client, author, replier, count):
    with use_orm(client.services.orm):
        await ensure_default_boards()
        board = await Board.get(slug="payments")
        now = datetime.now(UTC)
        for i in range(count):
            thread = await Thread.create(
                board=board,
                author_id=int(account_user_pk(author)),
                title=f"Thread {i}",
                body="b",
                body_html="<p>b</p>",
                activity_at=now - timedelta(seconds=i),
            )
            reply = await Reply.create(
                thread=thread, author_id=int(account_user_pk(replier)), body="r", body_html="<p>r</p>"
            )
            await Thread.filter(id=thread.pk).update(reply_count=1, last_reply_id=reply.pk)


async def _count(client, first, token):
    with QueryCounter() as counter:
        body = await client.gql(THREADS, {"board": "payments", "first": first}, token=token)
    edges = body["data"]["forumThreads"]["edges"]
    assert len(edges) == first
    assert (
        edges[0]["node"]["author"]["displayName"] and edges[0]["node"]["lastReply"]["author"]["displayName"]
    )
    return counter.count


async def test_thread_list_sql_count_is_flat(client):
    author, replier = await client.signup(name="A"), await client.signup(name="R")
    await _seed_threads(client, author, replier, 100)
    viewer = await client.signup()
    assert await _count(client, 10, viewer.token) == await _count(client, 100, viewer.token)


async def test_cursor_pagination_walks_all_threads_once(client):
    author, replier = await client.signup(), await client.signup()
    await _seed_threads(client, author, replier, 25)
    seen, after = [], None
    while True:
        page = (await client.gql(THREADS, {"board": "payments", "first": 10, "after": after}))["data"][
            "forumThreads"
        ]
        seen += [e["node"]["title"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [f"Thread {i}" for i in range(25)]
    bad = await client.gql(THREADS, {"board": "payments", "after": "garbage!"})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_search_and_accepted_answers_api(client):
    alice, bob = await client.signup(), await client.signup()
    solved = await new_thread(
        client, alice, board="payments", title="Refund for a top-up", body="How do I get a refund for coins?"
    )
    await new_thread(
        client, alice, board="content", title="Video upload stuck", body="Upload stays at processing"
    )
    reply = await new_reply(client, bob, solved, body="Refunds of unspent coins within 7 days.")
    await client.gql(ACCEPT, {"input": {"replyId": reply}}, token=alice.token)
    hits = (await client.gql(SEARCH, {"q": "refund"}))["data"]["forumSearch"]
    assert hits and hits[0]["thread"]["id"] == solved
    assert (await client.gql(SEARCH, {"q": "   "}))["data"]["forumSearch"] == []
    with use_orm(client.services.orm):
        answers = await api.accepted_answers(client.services, "refund", "en", k=3)
        assert [a.thread_id for a in answers] == [solved]
        assert answers[0].url.endswith(solved)
        assert await api.accepted_answers(client.services, "upload", "en") == []


async def test_feedback_board_posts_for_insights(client):
    alice, bob = await client.signup(), await client.signup()
    idea = await new_thread(client, alice, board="feedback", title="Dark mode for the help center")
    await new_thread(client, alice, board="account", title="Not feedback")
    await client.gql(VOTE, {"input": {"postId": idea}}, token=bob.token)
    await new_reply(client, bob, idea)
    now = datetime.now(UTC)
    with use_orm(client.services.orm):
        posts = await api.feedback_board_posts(now - timedelta(days=1), now + timedelta(minutes=1))
    assert posts == [(idea, "Dark mode for the help center", 1, 1)]
