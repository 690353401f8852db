"""Admins replace help media with real screenshots and videos (checked by content) and revert
article edits; the media URL then serves the replacement, the shipped file stays as fallback."""

from __future__ import annotations

import pytest

from core.db import use_orm
from core.models import AuditEntry
from plugins.helpcenter.media_routes import MEDIA_DIR
from plugins.helpcenter.models import HelpMediaFile
from plugins.helpcenter.tests.test_feedback_admin import UPDATE, VERSIONS, _article_id

UPLOAD = """mutation($input: HelpMediaUploadInput!) { helpMediaUpload(input: $input) {
  __typename ... on HelpMedia { kind url downloadUrl } ... on HelpError { code field } } }"""
REVERT = """mutation($input: HelpArticleRevertInput!) { helpArticleRevert(input: $input) {
  __typename ... on HelpArticle { title } ... on HelpError { code field } } }"""
ARTICLE = "query($slug: String!) { helpArticle(slug: $slug) { title media { url downloadUrl } } }"
NAME = "account-bind-email-1.png"
VIDEO = "account-bind-phone.mp4"


def _jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000 + b"\xff\xd9"


async def _upload(client, token, name, data, filename="shot.bin"):
    files = {"input.file": (filename, data, "application/octet-stream")}
    body = await client.upload(UPLOAD, {"input": {"name": name, "file": None}}, files, token=token)
    return body["data"]["helpMediaUpload"] if body.get("data") else body


async def test_an_admin_replaces_a_screenshot_and_the_media_url_serves_it(help_client):
    client = help_client
    admin = await client.signup(roles=("ADMIN",))
    shipped = (MEDIA_DIR / NAME).read_bytes()
    before = await client.http.get(f"/media/help/{NAME}")
    assert before.content == shipped
    jpeg = _jpeg()
    done = await _upload(client, admin.token, NAME, jpeg)
    assert done == {
        "__typename": "HelpMedia",
        "kind": "image",
        "url": f"/media/help/{NAME}",
        "downloadUrl": f"/media/help/{NAME}",
    }
    after = await client.http.get(f"/media/help/{NAME}")
    assert after.status_code == 200 and after.content == jpeg
    assert after.headers["content-type"] == "image/jpeg"  # the sniffed type, whatever the name says
    assert after.headers["content-security-policy"] == "sandbox"
    assert after.headers["etag"] != before.headers["etag"]
    assert (
        await client.http.get(f"/media/help/{NAME}", headers={"If-None-Match": after.headers["etag"]})
    ).status_code == 304
    assert (MEDIA_DIR / NAME).read_bytes() == shipped  # the shipped file is untouched
    with use_orm(client.services.orm):
        entry = await AuditEntry.get(action="help.media_replaced")
        assert entry.target_id == NAME
        # a replacement whose stored file went missing falls back to the shipped one
        record = await HelpMediaFile.get(name=NAME)
    client.services.storage.path_for(record.key).unlink()
    assert (await client.http.get(f"/media/help/{NAME}")).content == shipped


async def test_a_replaced_video_still_answers_range_requests(help_client):
    client = help_client
    admin = await client.signup(roles=("ADMIN",))
    video = (MEDIA_DIR / VIDEO).read_bytes()[:-10]  # another valid-looking MP4 (ftyp header)
    assert (await _upload(client, admin.token, VIDEO, video))["kind"] == "video"
    partial = await client.http.get(f"/media/help/{VIDEO}", headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206 and partial.content == video[:100]


@pytest.mark.parametrize(
    ("name", "data", "code", "field"),
    [
        (NAME, b"<html><script>alert(1)</script></html>", "FILE_TYPE_NOT_ALLOWED", "input.file"),
        (NAME, b"GIF89a" + b"\0" * 100, "FILE_TYPE_NOT_ALLOWED", "input.file"),
        (NAME, b"%PDF-1.4\n" + b"0" * 100, "FILE_TYPE_NOT_ALLOWED", "input.file"),
        (VIDEO, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "FILE_TYPE_NOT_ALLOWED", "input.file"),
        (NAME, b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), "FILE_TOO_LARGE", "input.file"),
        ("../etc/passwd.png", b"\x89PNG\r\n\x1a\n", "INVALID_INPUT", "input.name"),
        ("page.html", b"\x89PNG\r\n\x1a\n", "INVALID_INPUT", "input.name"),
    ],
)
async def test_bad_uploads_are_typed_errors_and_change_nothing(help_client, name, data, code, field):
    client = help_client
    admin = await client.signup(roles=("ADMIN",))
    assert await _upload(client, admin.token, name, data) == {
        "__typename": "HelpError",
        "code": code,
        "field": field,
    }
    with use_orm(client.services.orm):
        assert await HelpMediaFile.all().count() == 0


async def test_only_admins_upload_media_or_revert(help_client):
    client = help_client
    article_id = await _article_id(client)
    for roles in ((), ("AGENT",), ("REVIEWER",), ("SALES",)):
        caller = await client.signup(roles=roles)
        body = await _upload(client, caller.token, NAME, _jpeg())
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        revert = await client.gql(REVERT, {"input": {"id": article_id, "version": 1}}, token=caller.token)
        assert revert["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await _upload(client, None, NAME, _jpeg()))["errors"][0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    assert (await client.http.get(f"/media/help/{NAME}")).content == (MEDIA_DIR / NAME).read_bytes()


async def test_an_admin_reverts_an_edit_as_a_new_version(help_client):
    client = help_client
    admin = await client.signup(roles=("ADMIN",))
    article_id = await _article_id(client)
    original = (await client.gql(ARTICLE, {"slug": "payments-refund"}))["data"]["helpArticle"]["title"]
    edited = await client.gql(
        UPDATE, {"input": {"id": article_id, "title": "A vandalised title"}}, token=admin.token
    )
    assert "errors" not in edited, edited
    versions = (await client.gql(VERSIONS, {"id": article_id}, token=admin.token))["data"][
        "helpArticleVersions"
    ]
    first = min(v["version"] for v in versions)
    body = await client.gql(
        REVERT, {"input": {"id": article_id, "version": first, "note": "undo vandalism"}}, token=admin.token
    )
    assert body["data"]["helpArticleRevert"] == {"__typename": "HelpArticle", "title": original}
    versions = (await client.gql(VERSIONS, {"id": article_id}, token=admin.token))["data"][
        "helpArticleVersions"
    ]
    assert versions[0]["title"] == original and versions[0]["note"] == "undo vandalism"
    assert len(versions) == 3
    missing = await client.gql(REVERT, {"input": {"id": article_id, "version": 99}}, token=admin.token)
    assert missing["data"]["helpArticleRevert"] == {
        "__typename": "HelpError",
        "code": "NOT_FOUND",
        "field": "input.version",
    }
    with use_orm(client.services.orm):
        assert await AuditEntry.filter(action="help.article_reverted").count() == 1
