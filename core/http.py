"""Request bodies read with a limit: every route that takes a body reads it through here, so no route
reads more than its limit, whether the body is sent with a Content-Length or chunked."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import Message, Receive


class BodyTooLarge(Exception):
    """The request body is over the route's limit (answer 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"request body over {limit} bytes")
        self.limit = limit


def _limited_receive(receive: Receive, limit: int) -> Receive:
    """`receive` that raises `BodyTooLarge` as soon as the body passes `limit` bytes."""
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return limited


def limited_request(request: Request, limit: int) -> Request:
    """The same request, but reading its body (`body()`, `stream()`, `form()`) raises `BodyTooLarge`
    past `limit` bytes; a declared Content-Length over the limit is refused before reading."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    return Request(request.scope, _limited_receive(request.receive, limit))


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, at most `limit` bytes (`BodyTooLarge` otherwise)."""
    return await limited_request(request, limit).body()
