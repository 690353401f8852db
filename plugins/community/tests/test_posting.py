"""Boards, threads, replies, Markdown, bad input, keyword filter and posting limits through HTTP."""

from __future__ import annotations

from core.db import use_orm
from plugins.community.models import Reply, Thread
from plugins.community.tests.gql import REPLY_CREATE, THREAD, THREAD_CREATE, new_reply, new_thread

BOARDS = "query { forumBoards { slug kind name } }"


async def test_boards_include_feedback_and_service_areas(client):
    body = await client.gql(BOARDS, headers={"Accept-Language": "zh-CN"})
    boards = {b["slug"]: b for b in body["data"]["forumBoards"]}
    assert set(boards) >= {"feedback", "account", "content", "appeals", "features", "payments", "ads"}
    assert boards["feedback"]["kind"] == "FEEDBACK"
    assert boards["account"]["name"] == "账号与安全"


async def test_thread_and_reply_render_markdown_safely(client):
    # given a user
    alice = await client.signup(name="Alice")
    # when she posts Markdown with raw HTML and a script link
    source = "**Bold** and <script>alert(1)</script>\n\n- one\n- two\n\n[x](javascript:alert(1)) [ok](https://example.com)"
    body = await client.gql(
        THREAD_CREATE, {"input": {"board": "account", "title": " Hello ", "body": source}}, token=alice.token
    )
    thread = body["data"]["forumThreadCreate"]
    # then the source is kept and the HTML is escaped
    assert thread["__typename"] == "ForumThread"
    assert thread["body"] == source
    assert thread["title"] == "Hello"
    html = thread["bodyHtml"]
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.com" rel="nofollow noopener ugc">ok</a>' in html
    assert thread["author"]["displayName"] == "Alice"


async def test_anonymous_cannot_post_but_can_read(client):
    alice = await client.signup()
    thread_id = await new_thread(client, alice)
    body = await client.gql(THREAD_CREATE, {"input": {"board": "account", "title": "t", "body": "b"}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await client.gql(THREAD, {"id": thread_id})
    assert body["data"]["forumThread"]["title"] == "How do I reset?"
    assert body["data"]["forumThread"]["viewerHasVoted"] is False


async def test_bad_posts_are_typed_errors_and_nothing_is_written(client):
    alice = await client.signup()
    cases = [
        ({"board": "account", "title": "   ", "body": "b"}, "EMPTY_POST", "input.title"),
        ({"board": "account", "title": "t", "body": " \n "}, "EMPTY_POST", "input.body"),
        ({"board": "account", "title": "t" * 121, "body": "b"}, "POST_TOO_LONG", "input.title"),
        ({"board": "account", "title": "t", "body": "b" * 10_001}, "POST_TOO_LONG", "input.body"),
        ({"board": "nope", "title": "t", "body": "b"}, "UNKNOWN_BOARD", "input.board"),
    ]
    for data, code, field in cases:
        result = (await client.gql(THREAD_CREATE, {"input": data}, token=alice.token))["data"][
            "forumThreadCreate"
        ]
        assert (result["__typename"], result["code"], result["field"]) == ("CommunityError", code, field)
    thread_id = await new_thread(client, alice)
    for text, code in (("", "EMPTY_POST"), ("x" * 5001, "POST_TOO_LONG")):
        body = await client.gql(
            REPLY_CREATE, {"input": {"threadId": thread_id, "body": text}}, token=alice.token
        )
        assert body["data"]["forumReplyCreate"]["code"] == code
    body = await client.gql(REPLY_CREATE, {"input": {"threadId": "bad", "body": "x"}}, token=alice.token)
    assert body["data"]["forumReplyCreate"]["code"] == "INVALID_INPUT"
    with use_orm(client.services.orm):
        assert await Thread.all().count() == 1
        assert await Reply.all().count() == 0


async def test_reply_updates_thread_counters(client):
    alice, bob = await client.signup(), await client.signup(name="Bob")
    thread_id = await new_thread(client, alice)
    await new_reply(client, bob, thread_id)
    body = await client.gql(THREAD, {"id": thread_id})
    thread = body["data"]["forumThread"]
    assert thread["replyCount"] == 1
    assert thread["replies"]["edges"][0]["node"]["author"]["displayName"] == "Bob"


async def test_keyword_filter_holds_post_for_review(client):
    alice, other = await client.signup(), await client.signup()
    body = await client.gql(
        THREAD_CREATE,
        {"input": {"board": "content", "title": "Cheap", "body": "We BUY FOLLOWERS for you"}},
        token=alice.token,
    )
    thread = body["data"]["forumThreadCreate"]
    # then it is kept, but held: the author sees it, others do not
    assert thread["status"] == "HELD"
    assert (await client.gql(THREAD, {"id": thread["id"]}, token=alice.token))["data"]["forumThread"]["id"]
    assert (await client.gql(THREAD, {"id": thread["id"]}, token=other.token))["data"]["forumThread"] is None
    assert (await client.gql(THREAD, {"id": thread["id"]}))["data"]["forumThread"] is None


async def test_posting_is_rate_limited(client):
    alice = await client.signup()
    for i in range(5):
        await new_thread(client, alice, title=f"t{i}")
    body = await client.gql(
        THREAD_CREATE, {"input": {"board": "account", "title": "one more", "body": "b"}}, token=alice.token
    )
    error = body["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] > 0
