"""Help media: every picture and video the shipped articles name is served, cacheable and seekable."""

from __future__ import annotations

from plugins.helpcenter.tests.test_reading import ARTICLES

MEDIA = """query($after: String) { helpArticles(first: 100, after: $after) {
  edges { node { slug media { kind url } } } pageInfo { hasNextPage endCursor } } }"""
TYPES = {"image": ("image/png", "image/jpeg", "image/webp"), "video": ("video/mp4", "video/webm")}


async def _media_urls(client, language: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    after = None
    while True:
        page = (await client.gql(MEDIA, {"after": after}, headers={"Accept-Language": language}))["data"]
        for edge in page["helpArticles"]["edges"]:
            found.update((m["kind"], m["url"]) for m in edge["node"]["media"])
        if not page["helpArticles"]["pageInfo"]["hasNextPage"]:
            return found
        after = page["helpArticles"]["pageInfo"]["endCursor"]


async def test_every_media_url_of_every_shipped_article_answers_with_its_type(help_client):
    client = help_client
    assert ARTICLES  # the reading tests' documents still exist
    urls = await _media_urls(client, "en") | await _media_urls(client, "zh-CN")
    assert {kind for kind, _ in urls} == {"image", "video"}
    assert len(urls) >= 80
    for kind, url in sorted(urls):
        response = await client.http.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].split(";")[0] in TYPES[kind], url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"].startswith("public")
        assert len(response.content) > 1000, url
        if kind == "image":
            assert response.content.startswith(b"\x89PNG\r\n\x1a\n"), url
        else:
            assert response.content[4:8] == b"ftyp", url


async def test_a_video_answers_a_range_request_with_206(client):
    response = await client.http.get(
        "/media/help/account-password-reset.mp4", headers={"Range": "bytes=0-99"}
    )
    assert response.status_code == 206
    assert response.headers["content-range"].startswith("bytes 0-99/")
    assert len(response.content) == 100
    tail = await client.http.get("/media/help/account-password-reset.mp4", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and len(tail.content) == 10


async def test_a_strong_etag_answers_304_when_unchanged(client):
    first = await client.http.get("/media/help/account-password-reset-1.png")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = await client.http.get("/media/help/account-password-reset-1.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = await client.http.get(
        "/media/help/account-password-reset-1.png", headers={"If-None-Match": '"x"'}
    )
    assert other.status_code == 200


async def test_names_outside_the_media_folder_are_not_found(client):
    for name in (
        "../hooks.py",
        "..%2Fhooks.py",
        ".hidden.png",
        "nope.png",
        "account-password-reset-1.PNG",
        "x.svg",
        "%00.png",
    ):
        response = await client.http.get(f"/media/help/{name}")
        assert response.status_code == 404, name
