"""Staff accounts are moderated only by an ADMIN (issue 11 #7): a reviewer (or a board moderator)
cannot ban a staff account, remove a staff member's video or hide their forum posts, and an admin
is banned by nobody but another admin. Every path: content removal, account bans, the forum."""

from __future__ import annotations

import pytest

from plugins.community.tests.gql import MODERATE, new_thread
from tests.moderation import ban, published_video, remove

ME = "{ me { status } }"
MODERATORS_SET = """
mutation($input: ForumBoardModeratorsSetInput!) {
  forumBoardModeratorsSet(input: $input) { __typename ... on ForumBoard { slug } }
}
"""
STAFF = ("AGENT", "REVIEWER", "ADMIN")


@pytest.mark.parametrize("target_role", STAFF)
async def test_a_reviewer_cannot_ban_a_staff_account(client, target_role):
    # given a reviewer and a staff account
    reviewer = await client.signup(roles=("REVIEWER",))
    staff = await client.signup(roles=(target_role,))
    # when the reviewer bans it
    result = await ban(client, reviewer, staff.id)
    # then a typed refusal, and the account is untouched
    assert (result["__typename"], result["code"], result["field"]) == (
        "ContentError",
        "ADMIN_REQUIRED",
        "input.userId",
    )
    assert (await client.gql(ME, token=staff.token))["data"]["me"]["status"] == "ACTIVE"
    # and an admin may ban it (an admin is banned only by another admin)
    admin = await client.signup(roles=("ADMIN",))
    assert (await ban(client, admin, staff.id))["__typename"] == "Decision"


async def test_an_admin_cannot_ban_themselves_and_users_stay_bannable_by_reviewers(client):
    admin = await client.signup(roles=("ADMIN",))
    reviewer = await client.signup(roles=("REVIEWER",))
    user = await client.signup()
    assert (await ban(client, admin, admin.id))["code"] == "CANNOT_MODERATE_SELF"
    assert (await ban(client, reviewer, user.id))["__typename"] == "Decision"
    # anonymous and a plain user are refused at the top level
    anonymous = await client.gql(
        "mutation($i: ModerationBanInput!) { moderationBanAccount(input: $i) { __typename } }",
        {"i": {"userId": admin.id, "reason": "SPAM", "statement": "Spamming everywhere."}},
    )
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = await client.signup()
    assert (await ban(client, other, admin.id))["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("owner_role", STAFF)
async def test_a_reviewer_cannot_remove_a_staff_members_video(client, owner_role):
    # given a staff member's published video
    owner = await client.signup(roles=(owner_role,))
    video = await published_video(client, owner)
    reviewer = await client.signup(roles=("REVIEWER",))
    # when a reviewer removes it: refused, typed
    result = await remove(client, reviewer, video["id"])
    assert (result["__typename"], result["code"], result["field"]) == (
        "ContentError",
        "ADMIN_REQUIRED",
        "input.videoId",
    )
    # and an admin can
    admin = await client.signup(roles=("ADMIN",))
    assert (await remove(client, admin, video["id"]))["__typename"] == "Decision"


async def test_forum_moderators_cannot_hide_a_staff_members_post(client):
    # given an admin's thread and a board moderator plus a reviewer
    admin = await client.signup(roles=("ADMIN",))
    other_admin = await client.signup(roles=("ADMIN",))
    reviewer = await client.signup(roles=("REVIEWER",))
    board_mod = await client.signup()
    appointed = await client.gql(
        MODERATORS_SET, {"input": {"board": "features", "userIds": [board_mod.id]}}, token=admin.token
    )
    assert appointed["data"]["forumBoardModeratorsSet"]["slug"] == "features"
    thread_id = await new_thread(client, admin, board="features")
    # when either of them hides or locks it: refused, typed
    for moderator in (board_mod, reviewer):
        for action in ("HIDE", "LOCK", "MOVE"):
            body = await client.gql(
                MODERATE,
                {"input": {"postId": thread_id, "action": action, "board": "account"}},
                token=moderator.token,
            )
            result = body["data"]["forumPostModerate"]
            assert (result["__typename"], result["code"]) == ("CommunityError", "ADMIN_REQUIRED"), body
    # and another admin may hide it; its author may not moderate their own post
    own = await client.gql(MODERATE, {"input": {"postId": thread_id, "action": "PIN"}}, token=admin.token)
    assert own["data"]["forumPostModerate"]["code"] == "CONFLICT_OF_INTEREST"
    hidden = await client.gql(
        MODERATE, {"input": {"postId": thread_id, "action": "HIDE"}}, token=other_admin.token
    )
    assert hidden["data"]["forumPostModerate"]["status"] == "HIDDEN"


async def test_only_an_admin_decides_a_staff_members_appeal(client):
    # given an agent banned by an admin, who appeals
    from tests.appeals import decide_appeal, file_appeal
    from tests.helpers import LOGIN

    admin = await client.signup(roles=("ADMIN",))
    agent = await client.signup(roles=("AGENT",))
    decision = await ban(client, admin, agent.id)
    restricted = (await client.gql(LOGIN, {"input": {"login": agent.email, "password": agent.password}}))[
        "data"
    ]["accountLogin"]["accessToken"]
    appeal = await file_appeal(client, restricted, decision["id"])
    assert appeal["__typename"] == "Appeal", appeal
    # when a reviewer overturns it: refused, typed, the ban stands
    reviewer = await client.signup(roles=("REVIEWER",))
    refused = await decide_appeal(client, reviewer, appeal["id"], "OVERTURN")
    assert (refused["__typename"], refused["code"]) == ("AppealError", "ADMIN_REQUIRED")
    assert (await client.gql(ME, token=restricted))["data"]["me"]["status"] == "BANNED"
    # and another admin may decide it
    second_admin = await client.signup(roles=("ADMIN",))
    assert (await decide_appeal(client, second_admin, appeal["id"], "OVERTURN"))["status"] == "OVERTURNED"
