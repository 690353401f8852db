"""Moderation through HTTP: removals and bans create decisions with reasons and an appeal window,
notify the user, and a ban gives a restricted session that can still see decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from plugins.content.models import Decision
from plugins.content.moderation import lift_expired_bans
from tests.helpers import db, error_code
from tests.moderation import BAN, ban, published_video, remove

DECISIONS = "{ decisions { id kind reason reasonText statement subjectId appealableUntil reversed } }"
LOGIN = """
mutation L($input: AccountLoginInput!) { accountLogin(input: $input) { __typename ... on AuthSession { restricted accessToken } } }
"""
ME = "{ me { status } }"


async def outbox_kinds(client) -> list[str]:
    """Notification kinds delivered so far (after draining jobs)."""
    await client.services.jobs.drain()
    return [m.get("kind") for m in client.services.notifier.read()]


async def test_reviewer_removes_a_video_with_a_statement_of_reasons(client):
    owner, other = await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    assert error_code(await remove(client, other, video["id"])) == "FORBIDDEN"
    assert error_code(await remove(client, owner, video["id"])) == "FORBIDDEN"
    assert (
        error_code(
            await client.gql(
                'mutation { moderationRemoveVideo(input: {videoId: "x", reason: SPAM, statement: "s"}) { __typename } }'
            )
        )
        == "UNAUTHENTICATED"
    )
    assert (await remove(client, reviewer, video["id"], statement="short"))["code"] == "INVALID_INPUT"
    decision = await remove(client, reviewer, video["id"])
    assert (decision["__typename"], decision["kind"], decision["reason"]) == (
        "Decision",
        "VIDEO_REMOVAL",
        "SPAM",
    )
    assert decision["subjectId"] == video["id"]
    until = datetime.fromisoformat(decision["appealableUntil"])
    assert timedelta(days=179) < until - datetime.now(UTC) <= timedelta(days=180)
    assert (await remove(client, reviewer, video["id"]))["code"] == "ALREADY_REMOVED"
    assert "decision" in await outbox_kinds(client)
    mine = (await client.gql(DECISIONS, token=owner.token))["data"]["decisions"]
    assert [d["id"] for d in mine] == [decision["id"]]
    assert mine[0]["reasonText"] == "spam"
    assert (await client.gql(DECISIONS, token=other.token))["data"]["decisions"] == []
    assert error_code(await client.gql(DECISIONS)) == "UNAUTHENTICATED"


async def test_reviewer_cannot_moderate_own_content(client):
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, reviewer)
    assert (await remove(client, reviewer, video["id"]))["code"] == "CANNOT_MODERATE_SELF"
    assert (await ban(client, reviewer, reviewer.id))["code"] == "CANNOT_MODERATE_SELF"


async def test_ban_gives_a_restricted_session_that_sees_its_decisions(client):
    user, other = await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    assert error_code(await ban(client, other, user.id)) == "FORBIDDEN"
    decision = await ban(client, reviewer, user.id)
    assert (decision["__typename"], decision["kind"], decision["subjectId"]) == (
        "Decision",
        "ACCOUNT_BAN",
        user.id,
    )
    assert (await ban(client, reviewer, user.id))["code"] == "ALREADY_BANNED"
    assert (await client.gql(ME, token=user.token))["data"]["me"]["status"] == "BANNED"
    login = await client.gql(LOGIN, {"input": {"login": user.email, "password": user.password}})
    session = login["data"]["accountLogin"]
    assert session["restricted"] is True
    seen = (await client.gql(DECISIONS, token=session["accessToken"]))["data"]["decisions"]
    assert [d["kind"] for d in seen] == ["ACCOUNT_BAN"]
    node = await client.gql(
        "query N($id: ID!) { node(id: $id) { ... on Decision { statement } } }",
        {"id": decision["id"]},
        token=session["accessToken"],
    )
    assert node["data"]["node"]["statement"] == "Pretends to be a celebrity."
    other_view = await client.gql(
        "query N($id: ID!) { node(id: $id) { id } }", {"id": decision["id"]}, token=other.token
    )
    assert other_view["data"]["node"] is None
    assert error_code(await ban(client, user, other.id)) == "FORBIDDEN"


async def test_ban_input_errors(client):
    user = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    assert (await ban(client, reviewer, user.id, until=past))["code"] == "INVALID_INPUT"
    assert (await ban(client, reviewer, "bm90LWEtdXNlcg"))["code"] == "INVALID_INPUT"
    assert (await client.gql(ME, token=user.token))["data"]["me"]["status"] == "ACTIVE"
    assert await db(client, lambda: Decision.all().count()) == 0


async def test_temporary_ban_is_lifted_by_the_expiry_job(client):
    user = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    decision = await ban(client, reviewer, user.id, until=soon)
    assert decision["banUntil"]
    await db(client, lambda: Decision.all().update(ban_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert await db(client, lambda: lift_expired_bans(client.services)) == 1
    assert (await client.gql(ME, token=user.token))["data"]["me"]["status"] == "ACTIVE"
    assert await db(client, lambda: lift_expired_bans(client.services)) == 0


async def test_messages_and_notices_are_bilingual(client):
    owner = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    prefs = await client.gql(
        'mutation { accountPreferencesUpdate(input: {language: "zh-CN"}) { preferences { language } } }',
        token=owner.token,
    )
    assert prefs["data"]["accountPreferencesUpdate"]["preferences"]["language"] == "zh-CN", prefs
    await remove(client, reviewer, video["id"])
    body = await client.gql(
        'mutation($id: ID!) { videoUpdate(input: {id: $id, title: "x"}) { ... on ContentError { code message } } }',
        {"id": video["id"]},
        token=owner.token,
        headers={"Accept-Language": "zh-CN"},
    )
    assert body["data"]["videoUpdate"]["message"].startswith("该视频因审核决定已被移除")
    english = await client.gql(DECISIONS, token=owner.token, headers={"Accept-Language": "en"})
    chinese = await client.gql(DECISIONS, token=owner.token, headers={"Accept-Language": "zh-CN"})
    assert english["data"]["decisions"][0]["reasonText"] == "spam"
    assert chinese["data"]["decisions"][0]["reasonText"] == "垃圾信息"
    await client.services.jobs.drain()
    notice = next(m for m in client.services.notifier.read() if m.get("kind") == "decision")
    # the notice uses the account's language, with the reason in words
    assert "垃圾信息" in notice["body"] and "Contains repeated spam links." in notice["body"]


async def test_ban_and_comment_moderation_by_the_wrong_callers(client):
    owner, other = await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    assert (
        error_code(
            await client.gql(BAN, {"input": {"userId": owner.id, "reason": "SPAM", "statement": "x" * 20}})
        )
        == "UNAUTHENTICATED"
    )
    video = await published_video(client, owner)
    made = await client.gql(
        'mutation($v: ID!) { commentCreate(videoId: $v, body: "hello") { ... on Comment { id } } }',
        {"v": video["id"]},
        token=other.token,
    )
    comment_id = made["data"]["commentCreate"]["id"]
    hide = "mutation($id: ID!) { commentModerate(id: $id, action: HIDE) { __typename ... on ContentError { code } } }"
    body = await client.gql(hide, {"id": comment_id}, token=reviewer.token)
    assert body["data"]["commentModerate"]["code"] == "NOT_FOUND"  # the creator moderates their comments
