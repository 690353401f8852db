"""Tiny but well-formed media files for upload tests, and shared GraphQL documents."""

from __future__ import annotations

import struct

from core.db import use_orm
from plugins.content.media import sample_mp4


def box(kind: bytes, payload: bytes) -> bytes:
    """One ISO-BMFF box."""
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(seconds: float = 12.5, width: int = 720, height: int = 1280, brand: bytes = b"isom") -> bytes:
    """An MP4 (or MOV with brand `qt  `) whose moov comes after mdat, as many encoders write it."""
    return sample_mp4(seconds, width, height, brand, media=b"\0" * 256)


def mp4_without_moov() -> bytes:
    """Passes the magic-number check but has no movie header: not a playable video."""
    return box(b"ftyp", b"isom\0\0\0\0isommp41") + box(b"mdat", b"\0" * 64)


def webm(milliseconds: float = 8000.0) -> bytes:
    """A WebM header with Info: TimecodeScale 1 ms and Duration."""
    info = b"\x2a\xd7\xb1\x83\x0f\x42\x40" + b"\x44\x89\x88" + struct.pack(">d", milliseconds)
    return b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"\x18\x53\x80\x67\x01" + b"\x15\x49\xa9\x66" + info


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
EXE = b"MZ\x90\x00" + b"\0" * 128

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


def error_code(body: dict) -> str:
    """The top-level error code of a response."""
    return body["errors"][0]["extensions"]["code"]


async def outbox_kinds(client) -> list[str]:
    """Notification kinds delivered so far (after draining jobs)."""
    await client.services.jobs.drain()
    return [m.get("kind") for m in client.services.notifier.read()]


async def db(client, coro_factory):
    """Run a database coroutine in the app's ORM context."""
    with use_orm(client.services.orm):
        return await coro_factory()
