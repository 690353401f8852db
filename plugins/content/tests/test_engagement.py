"""Views, shares and likes through HTTP, the purge of long-deleted videos, and every content
operation refused to a restricted (banned) session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from plugins.content.models import Video
from plugins.content.service import purge_deleted
from tests.helpers import db, error_code
from tests.moderation import ban, published_video, remove

VIEW = "mutation V($id: ID!) { videoView(id: $id) }"
SHARE = "mutation S($id: ID!) { videoShare(id: $id) }"
LIKE = "mutation L($id: ID!) { videoLike(id: $id) { __typename ... on Video { counts { views likes shares } } ... on ContentError { code } } }"
DELETE = "mutation D($id: ID!) { videoDelete(id: $id) { __typename } }"


async def test_views_shares_and_likes_are_counted_once_per_viewer(client):
    owner, fan = await client.signup(), await client.signup()
    video = await published_video(client, owner)
    assert (await client.gql(VIEW, {"id": video["id"]}))["data"]["videoView"] is True
    assert (await client.gql(VIEW, {"id": video["id"]}))["data"]["videoView"] is False  # same IP, same window
    assert (await client.gql(VIEW, {"id": video["id"]}, token=fan.token))["data"]["videoView"] is True
    assert (await client.gql(SHARE, {"id": video["id"]}, token=fan.token))["data"]["videoShare"] is True
    liked = (await client.gql(LIKE, {"id": video["id"]}, token=fan.token))["data"]["videoLike"]
    again = (await client.gql(LIKE, {"id": video["id"]}, token=fan.token))["data"]["videoLike"]
    assert liked["counts"] == {"views": 2, "likes": 1, "shares": 1}
    assert again["counts"]["likes"] == 1
    assert error_code(await client.gql(LIKE, {"id": video["id"]})) == "UNAUTHENTICATED"


async def test_hidden_videos_cannot_be_counted(client):
    owner, fan = await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    await remove(client, reviewer, video["id"])
    assert error_code(await client.gql(VIEW, {"id": video["id"]})) == "NOT_FOUND"
    assert (await client.gql(LIKE, {"id": video["id"]}, token=fan.token))["data"]["videoLike"][
        "code"
    ] == "NOT_FOUND"


async def test_purge_erases_videos_past_the_window_unless_still_appealable(client):
    owner = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    kept = await published_video(client, owner, title="removed then deleted")
    gone = await published_video(client, owner, title="just deleted")
    recent = await published_video(client, owner, title="recently deleted")
    await remove(client, reviewer, kept["id"])
    for video in (kept, gone, recent):
        await client.gql(DELETE, {"id": video["id"]}, token=owner.token)
    old = datetime.now(UTC) - timedelta(days=31)
    await db(
        client,
        lambda: Video.filter(title__in=["removed then deleted", "just deleted"]).update(deleted_at=old),
    )
    assert await db(client, lambda: purge_deleted(client.services)) == 1
    titles = sorted(await db(client, lambda: Video.all().values_list("title", flat=True)))
    assert titles == ["recently deleted", "removed then deleted"]


async def test_a_restricted_session_can_use_no_content_operation(client):
    owner = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    banned_reviewer = await client.signup(roles=("REVIEWER",))
    admin = await client.signup(roles=("ADMIN",))  # only an admin bans a staff account
    video = await published_video(client, owner)
    comment = await client.gql(
        'mutation C($v: ID!) { commentCreate(videoId: $v, body: "hi") { ... on Comment { id } } }',
        {"v": video["id"]},
        token=owner.token,
    )
    comment_id = comment["data"]["commentCreate"]["id"]
    await ban(client, reviewer, owner.id)
    await ban(client, admin, banned_reviewer.id)
    operations = [
        (
            'mutation($id: ID!) { videoUpdate(input: {id: $id, title: "x"}) { __typename } }',
            {"id": video["id"]},
        ),
        (DELETE, {"id": video["id"]}),
        ("mutation($id: ID!) { videoRestore(id: $id) { __typename } }", {"id": video["id"]}),
        (LIKE, {"id": video["id"]}),
        ('mutation($id: ID!) { commentCreate(videoId: $id, body: "x") { __typename } }', {"id": video["id"]}),
        ("mutation($id: ID!) { commentModerate(id: $id, action: HIDE) { __typename } }", {"id": comment_id}),
        ('mutation { commentFilterUpdate(keywords: ["a"]) { __typename } }', {}),
        ("{ commentFilter { keywords } }", {}),
        ("{ myVideos { edges { cursor } } }", {}),
    ]
    for query, variables in operations:
        body = await client.gql(query, variables, token=owner.token)
        assert error_code(body) == "FORBIDDEN", (query, body)
    removal = await remove(client, banned_reviewer, video["id"])
    assert error_code(removal) == "FORBIDDEN"
    assert (await client.gql("{ decisions { kind } }", token=owner.token))["data"]["decisions"] == [
        {"kind": "ACCOUNT_BAN"}
    ]
