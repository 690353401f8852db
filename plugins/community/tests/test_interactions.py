"""Votes, accepted answers, reports and moderator actions through HTTP."""

from __future__ import annotations

from core.db import use_orm
from plugins.community.models import ModerationAction, Report, Vote
from plugins.community.tests.gql import (
    ACCEPT,
    MODERATE,
    REPLY_CREATE,
    REPORT,
    THREAD,
    THREADS,
    VOTE,
    new_reply,
    new_thread,
)
from tests.helpers import account_user_pk

MODERATORS_SET = """
mutation($input: ForumBoardModeratorsSetInput!) {
  forumBoardModeratorsSet(input: $input) {
    __typename ... on ForumBoard { slug viewerIsModerator } ... on CommunityError { code }
  }
}
"""
REPORTS = "query { forumReports { edges { node { reason postId note } } } }"


async def test_vote_once_then_already_voted(client):
    alice, bob = await client.signup(), await client.signup()
    thread_id = await new_thread(client, alice)
    first = (await client.gql(VOTE, {"input": {"postId": thread_id}}, token=bob.token))["data"][
        "forumPostVote"
    ]
    assert first == {"__typename": "ForumVote", "postId": thread_id, "voteCount": 1}
    again = (await client.gql(VOTE, {"input": {"postId": thread_id}}, token=bob.token))["data"][
        "forumPostVote"
    ]
    assert (again["__typename"], again["code"]) == ("CommunityError", "ALREADY_VOTED")
    own = (await client.gql(VOTE, {"input": {"postId": thread_id}}, token=alice.token))["data"][
        "forumPostVote"
    ]
    assert own["code"] == "CANNOT_VOTE_OWN_POST"
    anon = await client.gql(VOTE, {"input": {"postId": thread_id}})
    assert anon["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    thread = (await client.gql(THREAD, {"id": thread_id}, token=bob.token))["data"]["forumThread"]
    assert (thread["voteCount"], thread["viewerHasVoted"]) == (1, True)
    with use_orm(client.services.orm):
        assert await Vote.all().count() == 1


async def test_accept_answer_by_author_or_moderator_only(client):
    alice, bob, carol = await client.signup(), await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    thread_id = await new_thread(client, alice)
    reply_id = await new_reply(client, bob, thread_id)
    denied = (await client.gql(ACCEPT, {"input": {"replyId": reply_id}}, token=carol.token))["data"]
    assert denied["forumAnswerAccept"]["code"] == "NOT_THREAD_AUTHOR"
    wrong = (await client.gql(ACCEPT, {"input": {"replyId": thread_id}}, token=alice.token))["data"]
    assert wrong["forumAnswerAccept"]["code"] == "INVALID_INPUT"
    ok = (await client.gql(ACCEPT, {"input": {"replyId": reply_id}}, token=alice.token))["data"][
        "forumAnswerAccept"
    ]
    assert ok["acceptedAnswer"]["id"] == reply_id
    second = await new_reply(client, carol, thread_id, body="Another way")
    by_mod = (await client.gql(ACCEPT, {"input": {"replyId": second}}, token=reviewer.token))["data"]
    assert by_mod["forumAnswerAccept"]["acceptedAnswer"]["id"] == second


async def test_report_others_posts_once(client):
    alice, bob = await client.signup(), await client.signup()
    thread_id = await new_thread(client, alice)
    own = (await client.gql(REPORT, {"input": {"postId": thread_id, "reason": "SPAM"}}, token=alice.token))[
        "data"
    ]
    assert own["forumPostReport"]["code"] == "CANNOT_REPORT_OWN_POST"
    filed = await client.gql(
        REPORT, {"input": {"postId": thread_id, "reason": "SPAM", "note": "ads"}}, token=bob.token
    )
    assert filed["data"]["forumPostReport"]["__typename"] == "ForumReportFiled"
    twice = (await client.gql(REPORT, {"input": {"postId": thread_id, "reason": "SPAM"}}, token=bob.token))[
        "data"
    ]
    assert twice["forumPostReport"]["code"] == "ALREADY_REPORTED"
    too_long = await client.gql(
        REPORT, {"input": {"postId": thread_id, "reason": "OTHER", "note": "x" * 501}}, token=bob.token
    )
    assert too_long["data"]["forumPostReport"]["code"] == "POST_TOO_LONG"
    # the report queue: moderators only
    denied = await client.gql(REPORTS, token=bob.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    reviewer = await client.signup(roles=("REVIEWER",))
    queue = (await client.gql(REPORTS, token=reviewer.token))["data"]["forumReports"]["edges"]
    assert [e["node"]["postId"] for e in queue] == [thread_id]
    with use_orm(client.services.orm):
        assert await Report.all().count() == 1


async def test_moderator_hide_lock_pin_move(client):
    alice, bob = await client.signup(), await client.signup()
    mod = await client.signup()
    admin = await client.signup(roles=("ADMIN",))
    thread_id = await new_thread(client, alice, board="features")
    reply_id = await new_reply(client, bob, thread_id)
    # a plain user is no moderator
    denied = await client.gql(MODERATE, {"input": {"postId": thread_id, "action": "LOCK"}}, token=bob.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # an admin makes `mod` moderator of the features board
    appointed = await client.gql(
        MODERATORS_SET, {"input": {"board": "features", "userIds": [mod.id]}}, token=admin.token
    )
    assert appointed["data"]["forumBoardModeratorsSet"]["slug"] == "features"
    not_admin = await client.gql(
        MODERATORS_SET, {"input": {"board": "features", "userIds": []}}, token=mod.token
    )
    assert not_admin["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # hide the reply: counters follow, others no longer see it
    hidden = await client.gql(
        MODERATE, {"input": {"postId": reply_id, "action": "HIDE", "note": "rude"}}, token=mod.token
    )
    assert hidden["data"]["forumPostModerate"]["status"] == "HIDDEN"
    seen = (await client.gql(THREAD, {"id": thread_id}, token=alice.token))["data"]["forumThread"]
    assert (seen["replyCount"], seen["replies"]["edges"]) == (0, [])
    # lock: no more replies; pin and move
    locked = await client.gql(MODERATE, {"input": {"postId": thread_id, "action": "LOCK"}}, token=mod.token)
    assert locked["data"]["forumPostModerate"]["locked"] is True
    reply = await client.gql(REPLY_CREATE, {"input": {"threadId": thread_id, "body": "hi"}}, token=bob.token)
    assert reply["data"]["forumReplyCreate"]["code"] == "THREAD_LOCKED"
    lock_reply = await client.gql(
        MODERATE, {"input": {"postId": reply_id, "action": "LOCK"}}, token=mod.token
    )
    assert lock_reply["data"]["forumPostModerate"]["code"] == "INVALID_ACTION"
    pinned = await client.gql(MODERATE, {"input": {"postId": thread_id, "action": "PIN"}}, token=mod.token)
    assert pinned["data"]["forumPostModerate"]["pinned"] is True
    bad_move = await client.gql(
        MODERATE, {"input": {"postId": thread_id, "action": "MOVE", "board": "x"}}, token=mod.token
    )
    assert bad_move["data"]["forumPostModerate"]["code"] == "UNKNOWN_BOARD"
    moved = await client.gql(
        MODERATE, {"input": {"postId": thread_id, "action": "MOVE", "board": "account"}}, token=mod.token
    )
    assert moved["data"]["forumPostModerate"]["board"]["slug"] == "account"
    # the board moderator of `features` no longer moderates it on `account`
    again = await client.gql(MODERATE, {"input": {"postId": thread_id, "action": "UNPIN"}}, token=mod.token)
    assert again["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    listing = (await client.gql(THREADS, {"board": "account"}))["data"]["forumThreads"]["edges"]
    assert [e["node"]["id"] for e in listing] == [thread_id]
    with use_orm(client.services.orm):
        assert await ModerationAction.all().count() == 4
    assert account_user_pk(mod)


async def test_hidden_thread_is_not_found_for_others(client):
    alice, bob = await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    thread_id = await new_thread(client, alice)
    await client.gql(MODERATE, {"input": {"postId": thread_id, "action": "HIDE"}}, token=reviewer.token)
    assert (await client.gql(THREAD, {"id": thread_id}, token=bob.token))["data"]["forumThread"] is None
    assert (await client.gql(THREAD, {"id": thread_id}, token=alice.token))["data"]["forumThread"][
        "status"
    ] == "HIDDEN"
    vote = await client.gql(VOTE, {"input": {"postId": thread_id}}, token=bob.token)
    assert vote["data"]["forumPostVote"]["code"] == "NOT_FOUND"
    node = await client.gql("query($id: ID!) { node(id: $id) { id } }", {"id": thread_id}, token=bob.token)
    assert node["data"]["node"] is None
