"""When an account's deletion cooling-off ends, its videos and comments go with it."""

from __future__ import annotations

from datetime import datetime, timedelta

from plugins.content.models import Comment, Video
from tests.helpers import account_user_pk, db
from tests.moderation import published_video

DELETE = """mutation($password: String!) { accountDeletionRequest(password: $password) {
  __typename ... on DeletionScheduled { deleteAfter } ... on AccountError { code } } }"""
COMMENT = 'mutation($id: ID!) { commentCreate(videoId: $id, body: "nice") { __typename } }'


async def test_purged_account_loses_its_videos_and_comments(client):
    leaving, staying = await client.signup(), await client.signup()
    video = await published_video(client, leaving)
    kept = await published_video(client, staying)
    await client.gql(COMMENT, {"id": kept["id"]}, token=leaving.token)
    leaving_pk = int(account_user_pk(leaving))
    asked = await client.gql(DELETE, {"password": leaving.password}, token=leaving.token)
    due = datetime.fromisoformat(asked["data"]["accountDeletionRequest"]["deleteAfter"])

    # the periodic purge, run as if the cooling-off had ended a minute ago
    await client.services.jobs.run_now("account.purge_deleted", now=due + timedelta(minutes=1))
    # `account.deleted` reaches content through the outbox's `core.event` job: wait for it.
    await client.services.jobs.drain()

    videos = await db(client, lambda: Video.filter(owner_id=leaving_pk).values_list("status", flat=True))
    assert list(videos) == ["DELETED"]
    comments = await db(client, lambda: Comment.filter(author_id=leaving_pk).values_list("status", flat=True))
    assert list(comments) == ["DELETED"]
    other = await db(
        client, lambda: Video.filter(owner_id=int(account_user_pk(staying))).values_list("status", flat=True)
    )
    assert list(other) == ["PUBLISHED"]
    assert video["id"] != kept["id"]
