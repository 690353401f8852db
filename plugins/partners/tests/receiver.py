"""A real HTTP receiver on loopback for webhook tests and the benchmark: answers each POST with the
next scripted status (or hangs), and records what it got."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

HANG = "hang"
#: Answer 200 with a body of `Receiver.huge_bytes` bytes, written as fast as the client reads it.
HUGE = "huge"


@dataclass
class Received:
    """One request as the receiver saw it."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    """Scripted answers (`statuses`, then `default`), and every request received."""

    statuses: list[int | str] = field(default_factory=list)
    default: int = 200
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    huge_bytes: int = 64 * 1024 * 1024
    #: Body bytes the receiver managed to hand to the connection for `HUGE` answers.
    written: int = 0
    #: Set once a `HUGE` answer ended (finished, or the client hung up).
    huge_done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        """The receiver's URL."""
        return f"http://127.0.0.1:{self.port}/hooks"

    async def wait_for(
        self, count: int, timeout: float = 15.0, pump: Callable[[], Awaitable[Any]] | None = None
    ) -> list[Received]:
        """Wait until `count` requests arrived (fails the test after `timeout`). `pump` is awaited
        between looks, e.g. `Jobs.drain` to relay delayed retries where no ticker runs (tests)."""
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"got {len(self.requests)} of {count} webhook requests"
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), min(remaining, 0.05 if pump else 0.5))
            if pump is not None and len(self.requests) < count:
                await pump()
        return self.requests

    async def _huge(self, writer: asyncio.StreamWriter) -> None:
        writer.write(f"HTTP/1.1 200 OK\r\ncontent-length: {self.huge_bytes}\r\n\r\n".encode())
        chunk = b"x" * 65536
        try:
            while self.written < self.huge_bytes:
                writer.write(chunk)
                await asyncio.wait_for(writer.drain(), 5)  # blocks while the client reads nothing
                self.written += len(chunk)
        except (ConnectionError, TimeoutError):
            pass
        finally:
            self.huge_done.set()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                path = line.decode().split(" ")[1]
                headers: dict[str, str] = {}
                while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = header.decode().partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests.append(Received(path, headers, body, time.monotonic()))
                self.arrived.set()
                status = self.statuses.pop(0) if self.statuses else self.default
                if status == HANG:
                    await asyncio.sleep(3600)
                if status == HUGE:
                    await self._huge(writer)
                    return
                writer.write(f"HTTP/1.1 {status} X\r\ncontent-length: 2\r\n\r\nok".encode())
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            return
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def receiver(*statuses: int | str, default: int = 200) -> AsyncIterator[Receiver]:
    """Run a receiver on a free loopback port for the duration of the block."""
    found = Receiver(list(statuses), default)
    server = await asyncio.start_server(found._handle, "127.0.0.1", 0)
    found.port = server.sockets[0].getsockname()[1]
    try:
        yield found
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1)
