"""Videos as their owner uploads them and as a reviewer removes them or bans their owner: the
content steps that the appeals, assistant, portal and staff tests start from."""

from __future__ import annotations

from tests.samples import mp4

UPLOAD = """
mutation Up($input: VideoUploadInput!) {
  videoUpload(input: $input) {
    __typename
    ... on Video { id title status visibility durationSeconds tags createdAt }
    ... on ContentError { code field message }
  }
}
"""
REMOVE = """
mutation Remove($input: ModerationInput!) {
  moderationRemoveVideo(input: $input) {
    __typename
    ... on Decision { id kind reason reasonText statement subjectId appealableUntil reversed }
    ... on ContentError { code field }
  }
}
"""
BAN = """
mutation Ban($input: ModerationBanInput!) {
  moderationBanAccount(input: $input) {
    __typename
    ... on Decision { id kind reason statement subjectId appealableUntil banUntil }
    ... on ContentError { code field }
  }
}
"""


async def upload(client, account, data: bytes | None = None, name: str = "clip.mp4", **fields) -> dict:
    """Upload a video through HTTP and return the result object."""
    variables = {"input": {"title": "My clip", "visibility": "PUBLIC", "file": None, **fields}}
    body = await client.upload(
        UPLOAD,
        variables,
        {"input.file": (name, mp4() if data is None else data, "video/mp4")},
        token=account.token,
    )
    return body["data"]["videoUpload"] if body.get("data") else body


async def published_video(client, account, **fields) -> dict:
    """Upload and let the processing job publish it."""
    video = await upload(client, account, **fields)
    assert video["__typename"] == "Video", video
    await client.services.jobs.drain()
    return video


async def remove(client, reviewer, video_id: str, statement: str = "Contains repeated spam links.") -> dict:
    """A reviewer removes a video."""
    body = await client.gql(
        REMOVE,
        {"input": {"videoId": video_id, "reason": "SPAM", "statement": statement}},
        token=reviewer.token,
    )
    return body["data"]["moderationRemoveVideo"] if body.get("data") else body


async def ban(client, reviewer, user_id: str, **fields) -> dict:
    """A reviewer bans an account."""
    variables = {
        "input": {
            "userId": user_id,
            "reason": "IMPERSONATION",
            "statement": "Pretends to be a celebrity.",
            **fields,
        }
    }
    body = await client.gql(BAN, variables, token=reviewer.token)
    return body["data"]["moderationBanAccount"] if body.get("data") else body
