"""Videos through HTTP: upload (type, size, duration), processing, edit, soft delete and restore,
myVideos and its SQL count, as anonymous, owner, other user, reviewer and a restricted session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import QueryCounter
from core.settings import use_plugin_settings
from plugins.content.models import Video
from plugins.content.settings import ContentSettings
from tests.helpers import db, error_code
from tests.moderation import UPLOAD, ban, published_video, remove, upload
from tests.samples import EXE, PNG, mp4, mp4_without_moov, webm

MY_VIDEOS = """
query Mine($first: Int, $after: String, $deleted: Boolean) {
  myVideos(first: $first, after: $after, deleted: $deleted) {
    edges { cursor node { id title status visibility durationSeconds width height tags
      commentsEnabled deletedAt restorableUntil counts { views likes comments shares } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
UPDATE = """
mutation Upd($input: VideoUpdateInput!) {
  videoUpdate(input: $input) {
    __typename
    ... on Video { id title description tags visibility commentsEnabled hasCover status }
    ... on ContentError { code field }
  }
}
"""
DELETE = "mutation Del($id: ID!) { videoDelete(id: $id) { __typename ... on Video { status deletedAt restorableUntil } ... on ContentError { code } } }"
RESTORE = "mutation Res($id: ID!) { videoRestore(id: $id) { __typename ... on Video { status } ... on ContentError { code } } }"
NODE = "query Node($id: ID!) { node(id: $id) { __typename ... on Video { id title status } } }"


async def _count_videos(client) -> int:
    return await db(client, lambda: Video.all().count())


async def test_upload_is_processing_then_published_with_metadata(client):
    owner = await client.signup()
    video = await upload(client, owner, tags=["#cats", "cats", "funny"], description="hello")
    assert video["__typename"] == "Video"
    assert video["status"] == "PROCESSING"
    assert video["durationSeconds"] == 12.5
    assert video["tags"] == ["cats", "funny"]
    await client.services.jobs.drain()
    body = await client.gql(MY_VIDEOS, token=owner.token)
    node = body["data"]["myVideos"]["edges"][0]["node"]
    assert (node["status"], node["width"], node["height"]) == ("PUBLISHED", 720, 1280)


async def test_upload_accepts_mov_and_webm_by_content(client):
    owner = await client.signup()
    mov = await upload(client, owner, mp4(3.0, brand=b"qt  "), name="clip.mov")
    web = await upload(client, owner, webm(8000.0), name="clip.webm")
    assert (mov["__typename"], mov["durationSeconds"]) == ("Video", 3.0)
    assert (web["__typename"], web["durationSeconds"]) == ("Video", 8.0)


async def test_upload_refuses_non_videos_and_keeps_nothing(client):
    owner = await client.signup()
    for data, name in ((PNG, "fake.mp4"), (EXE, "setup.mp4"), (b"", "empty.mp4")):
        result = await upload(client, owner, data, name=name)
        assert (result["__typename"], result["code"], result["field"]) == (
            "ContentError",
            "FILE_TYPE_NOT_ALLOWED",
            "input.file",
        )
    unreadable = await upload(client, owner, mp4_without_moov())
    assert unreadable["code"] == "VIDEO_UNREADABLE"
    assert await _count_videos(client) == 0


async def test_upload_limits_duration_and_size(client):
    owner = await client.signup()
    too_long = await upload(client, owner, mp4(15 * 60 + 1))
    assert (too_long["__typename"], too_long["code"]) == ("ContentError", "VIDEO_TOO_LONG")
    with use_plugin_settings(client.services, ContentSettings(max_video_bytes=200)):
        too_big = await upload(client, owner, mp4())
    assert too_big["code"] == "FILE_TOO_LARGE"
    assert await _count_videos(client) == 0


async def test_upload_rejects_bad_text_input_before_storing(client):
    owner = await client.signup()
    assert (await upload(client, owner, title="  "))["code"] == "INVALID_INPUT"
    assert (await upload(client, owner, title="x" * 101))["field"] == "input.title"
    assert (await upload(client, owner, tags=[f"t{i}" for i in range(11)]))["field"] == "input.tags"
    assert await _count_videos(client) == 0


async def test_upload_needs_an_unrestricted_user(client):
    reviewer = await client.signup(roles=("REVIEWER",))
    banned = await client.signup()
    assert (await ban(client, reviewer, banned.id))["__typename"] == "Decision"
    anonymous = await client.upload(
        UPLOAD,
        {"input": {"title": "t", "visibility": "PUBLIC", "file": None}},
        {"input.file": ("a.mp4", mp4(), "video/mp4")},
    )
    assert error_code(anonymous) == "UNAUTHENTICATED"
    assert error_code(await upload(client, banned)) == "FORBIDDEN"
    assert await _count_videos(client) == 0


async def test_update_by_owner_only(client):
    owner, other = await client.signup(), await client.signup()
    video = await published_video(client, owner)
    changes = {
        "id": video["id"],
        "title": "New title",
        "description": "d",
        "tags": ["a"],
        "visibility": "PRIVATE",
        "commentsEnabled": False,
    }
    body = await client.gql(UPDATE, {"input": changes}, token=owner.token)
    result = body["data"]["videoUpdate"]
    assert result["__typename"] == "Video"
    assert (result["title"], result["visibility"], result["commentsEnabled"]) == (
        "New title",
        "PRIVATE",
        False,
    )
    other_body = await client.gql(UPDATE, {"input": {"id": video["id"], "title": "mine"}}, token=other.token)
    assert other_body["data"]["videoUpdate"]["code"] == "NOT_FOUND"
    assert (
        error_code(await client.gql(UPDATE, {"input": {"id": video["id"], "title": "x"}}))
        == "UNAUTHENTICATED"
    )
    bad = await client.gql(UPDATE, {"input": {"id": video["id"], "title": ""}}, token=owner.token)
    assert bad["data"]["videoUpdate"]["code"] == "INVALID_INPUT"
    malformed = await client.gql(UPDATE, {"input": {"id": "nonsense", "title": "x"}}, token=owner.token)
    assert malformed["data"]["videoUpdate"]["code"] == "INVALID_INPUT"


async def test_update_sets_a_cover_image_but_refuses_a_non_image(client):
    owner = await client.signup()
    video = await published_video(client, owner)
    variables = {"input": {"id": video["id"], "cover": None}}
    body = await client.upload(
        UPDATE, variables, {"input.cover": ("c.png", PNG, "image/png")}, token=owner.token
    )
    assert body["data"]["videoUpdate"]["hasCover"] is True
    body = await client.upload(
        UPDATE, variables, {"input.cover": ("c.png", EXE, "image/png")}, token=owner.token
    )
    assert body["data"]["videoUpdate"]["code"] == "FILE_TYPE_NOT_ALLOWED"


async def test_removed_video_cannot_be_edited(client):
    owner = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    assert (await remove(client, reviewer, video["id"]))["__typename"] == "Decision"
    body = await client.gql(UPDATE, {"input": {"id": video["id"], "title": "sneaky"}}, token=owner.token)
    assert body["data"]["videoUpdate"]["code"] == "VIDEO_REMOVED"
    stored = await db(client, lambda: Video.get(title="My clip"))
    assert stored.status == "REMOVED"


async def test_soft_delete_and_restore_within_the_window(client):
    owner, other = await client.signup(), await client.signup()
    video = await published_video(client, owner)
    assert (await client.gql(DELETE, {"id": video["id"]}, token=other.token))["data"]["videoDelete"][
        "code"
    ] == "NOT_FOUND"
    deleted = (await client.gql(DELETE, {"id": video["id"]}, token=owner.token))["data"]["videoDelete"]
    assert deleted["status"] == "DELETED" and deleted["restorableUntil"]
    listed = await client.gql(MY_VIDEOS, token=owner.token)
    assert listed["data"]["myVideos"]["edges"] == []
    trash = await client.gql(MY_VIDEOS, {"deleted": True}, token=owner.token)
    assert trash["data"]["myVideos"]["edges"][0]["node"]["status"] == "DELETED"
    edit = await client.gql(UPDATE, {"input": {"id": video["id"], "title": "x"}}, token=owner.token)
    assert edit["data"]["videoUpdate"]["code"] == "VIDEO_DELETED"
    assert (await client.gql(RESTORE, {"id": video["id"]}, token=other.token))["data"]["videoRestore"][
        "code"
    ] == "NOT_FOUND"
    restored = (await client.gql(RESTORE, {"id": video["id"]}, token=owner.token))["data"]["videoRestore"]
    assert restored["status"] == "PUBLISHED"
    again = (await client.gql(RESTORE, {"id": video["id"]}, token=owner.token))["data"]["videoRestore"]
    assert again["code"] == "NOT_DELETED"
    assert error_code(await client.gql(DELETE, {"id": video["id"]})) == "UNAUTHENTICATED"


async def test_restore_after_the_window_is_refused(client):
    owner = await client.signup()
    video = await published_video(client, owner)
    await client.gql(DELETE, {"id": video["id"]}, token=owner.token)
    old = datetime.now(UTC) - timedelta(days=31)
    await db(client, lambda: Video.filter(title="My clip").update(deleted_at=old))
    result = (await client.gql(RESTORE, {"id": video["id"]}, token=owner.token))["data"]["videoRestore"]
    assert result["code"] == "RESTORE_WINDOW_EXPIRED"


async def test_restoring_a_deleted_removed_video_keeps_it_removed(client):
    owner = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    await remove(client, reviewer, video["id"])
    await client.gql(DELETE, {"id": video["id"]}, token=owner.token)
    restored = (await client.gql(RESTORE, {"id": video["id"]}, token=owner.token))["data"]["videoRestore"]
    assert restored["status"] == "REMOVED"


async def test_my_videos_is_per_owner_and_restricted_sessions_are_refused(client):
    owner, other = await client.signup(), await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    await published_video(client, owner)
    body = await client.gql(MY_VIDEOS, token=other.token)
    assert body["data"]["myVideos"]["edges"] == []
    assert error_code(await client.gql(MY_VIDEOS)) == "UNAUTHENTICATED"
    await ban(client, reviewer, owner.id)
    assert error_code(await client.gql(MY_VIDEOS, token=owner.token)) == "FORBIDDEN"


async def test_video_node_follows_visibility(client):
    owner, other = await client.signup(), await client.signup()
    video = await published_video(client, owner)
    assert (await client.gql(NODE, {"id": video["id"]}))["data"]["node"]["title"] == "My clip"
    await client.gql(UPDATE, {"input": {"id": video["id"], "visibility": "PRIVATE"}}, token=owner.token)
    assert (await client.gql(NODE, {"id": video["id"]}, token=other.token))["data"]["node"] is None
    assert (await client.gql(NODE, {"id": video["id"]}, token=owner.token))["data"]["node"][
        "status"
    ] == "PUBLISHED"


async def _insert_videos(client, owner_pk: int, count: int) -> None:
    await db(
        client,
        lambda: Video.bulk_create(
            [
                Video(owner_id=owner_pk, title=f"v{i}", file_key="k" * 64, content_type="video/mp4")
                for i in range(count)
            ]
        ),
    )


async def test_my_videos_sql_count_does_not_grow_with_page_size(client):
    from tests.helpers import account_user_pk

    small, large = await client.signup(), await client.signup()
    await _insert_videos(client, int(account_user_pk(small)), 10)
    await _insert_videos(client, int(account_user_pk(large)), 100)
    with QueryCounter() as ten:
        body = await client.gql(MY_VIDEOS, {"first": 100}, token=small.token)
    assert len(body["data"]["myVideos"]["edges"]) == 10
    with QueryCounter() as hundred:
        body = await client.gql(MY_VIDEOS, {"first": 100}, token=large.token)
    assert len(body["data"]["myVideos"]["edges"]) == 100
    assert ten.count == hundred.count
    page2 = await client.gql(
        MY_VIDEOS, {"first": 60, "after": body["data"]["myVideos"]["edges"][59]["cursor"]}, token=large.token
    )
    assert len(page2["data"]["myVideos"]["edges"]) == 40


async def test_reviewers_get_no_owner_powers_and_anonymous_none(client):
    owner = await client.signup()
    reviewer = await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    update = await client.gql(
        UPDATE, {"input": {"id": video["id"], "title": "staff edit"}}, token=reviewer.token
    )
    assert update["data"]["videoUpdate"]["code"] == "NOT_FOUND"
    assert (await client.gql(DELETE, {"id": video["id"]}, token=reviewer.token))["data"]["videoDelete"][
        "code"
    ] == "NOT_FOUND"
    assert error_code(await client.gql(RESTORE, {"id": video["id"]})) == "UNAUTHENTICATED"
    # staff may still look at any video (node), e.g. while reviewing a report
    await client.gql(UPDATE, {"input": {"id": video["id"], "visibility": "PRIVATE"}}, token=owner.token)
    assert (await client.gql(NODE, {"id": video["id"]}, token=reviewer.token))["data"]["node"][
        "title"
    ] == "My clip"


#: Every scalar field of a Video (and its counts), for comparing the owner's list with `node`.
ALL_VIDEO_FIELDS = (
    "id title status visibility createdAt description tags durationSeconds width height sizeBytes "
    "hasCover commentsEnabled publishedAt deletedAt restorableUntil counts { views likes comments shares }"
)


def test_every_video_field_says_which_columns_it_reads(client):
    from plugins.content.types import VIDEO_FIELD_COLUMNS

    video_type = client.app.state.schema._schema.type_map["Video"]
    assert set(video_type.fields) == set(VIDEO_FIELD_COLUMNS)


async def test_the_owners_list_reads_only_selected_columns_and_answers_like_the_node(client):
    owner = await client.signup()
    kept = await published_video(client, owner, tags=["cats"], description="kept")
    gone = await published_video(client, owner)
    await client.gql(DELETE, {"id": gone["id"]}, token=owner.token)
    node = f"query($id: ID!) {{ node(id: $id) {{ ... on Video {{ {ALL_VIDEO_FIELDS} }} }} }}"
    for video, deleted in ((kept, False), (gone, True)):
        expected = (await client.gql(node, {"id": video["id"]}, token=owner.token))["data"]["node"]
        listed = await client.gql(
            f"query($d: Boolean) {{ myVideos(deleted: $d) {{ nodes {{ {ALL_VIDEO_FIELDS} }} }} }}",
            {"d": deleted},
            token=owner.token,
        )
        assert listed["data"]["myVideos"]["nodes"] == [expected]
    # One field at a time: each reads what it needs, and nothing else is asked of the row.
    full = (await client.gql(f"{{ myVideos {{ nodes {{ {ALL_VIDEO_FIELDS} }} }} }}", token=owner.token))[
        "data"
    ]["myVideos"]["nodes"][0]
    for field in ALL_VIDEO_FIELDS.replace("counts {", "").replace("}", "").split():
        selection = f"counts {{ {field} }}" if field in ("views", "likes", "comments", "shares") else field
        one = await client.gql(f"{{ myVideos {{ nodes {{ {selection} }} }} }}", token=owner.token)
        assert "errors" not in one, (field, one)
        got = one["data"]["myVideos"]["nodes"][0]
        want = {"counts": {field: full["counts"][field]}} if "counts" in selection else {field: full[field]}
        assert got == want


def test_video_columns_follow_the_selection():
    from plugins.content.service import VIDEO_COLUMNS
    from plugins.content.types import video_columns

    assert video_columns(frozenset({"nodes", "id"})) == ()
    assert video_columns(frozenset({"title", "counts", "views"})) == (
        "title",
        "views",
        "likes",
        "comments",
        "shares",
    )
    assert video_columns(frozenset({"comments"})) == ("owner_id", "visibility", "status")
    assert set(video_columns(frozenset(VIDEO_FIELD_NAMES))) == set(VIDEO_COLUMNS) - {"created_at"} | {
        "created_at"
    }


VIDEO_FIELD_NAMES = ALL_VIDEO_FIELDS.replace("{", "").replace("}", "").split() + ["comments"]
