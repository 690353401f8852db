"""A TCP proxy a test controls, put in front of PostgreSQL or Redis to inject real network faults.

It runs its own event loop in a thread, so it keeps forwarding while the test's loop blocks or
while other processes (API servers, workers) talk through it.

- `cut()`: close every open connection and refuse new ones (the service "went away").
- `freeze()`: keep connections open but forward nothing (the service "hangs").
- `restore()`: forward again; new connections are accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator


class TcpProxy:
    """Forward `127.0.0.1:<port>` to `target_host:target_port` until told otherwise."""

    def __init__(self, target_host: str, target_port: int, listen_port: int = 0) -> None:
        self.target = (target_host, target_port)
        self._listen_port = listen_port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = asyncio.Event()
        self._accepting = True
        self.connections_total = 0

    # -- control (called from the test's thread) ---------------------------------------------

    def start(self) -> TcpProxy:
        """Start listening; `self.port` is the port to connect to."""
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def cut(self) -> None:
        """Drop every connection and refuse new ones until `restore()`."""
        asyncio.run_coroutine_threadsafe(self._cut(), self._loop).result(10)

    def freeze(self) -> None:
        """Stop forwarding bytes (connections stay open, new ones are accepted and hang)."""
        self._loop.call_soon_threadsafe(self._flowing.clear)

    def restore(self) -> None:
        """Accept and forward again."""

        def _restore() -> None:
            self._accepting = True
            self._flowing.set()

        self._loop.call_soon_threadsafe(_restore)

    def stop(self) -> None:
        """Close everything and end the thread."""
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._cut(close_server=True), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # -- inside the proxy's loop ----------------------------------------------------------------

    async def _start(self) -> None:
        self._flowing.set()
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self._listen_port)
        sock: socket.socket = self._server.sockets[0]
        self.port = sock.getsockname()[1]

    async def _cut(self, close_server: bool = False) -> None:
        self._accepting = False
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                transport = writer.transport
                # An abortive close (RST), like a peer that crashed or a network that failed.
                transport.abort()
        self._writers.clear()
        if close_server and self._server is not None:
            self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self._accepting:
            writer.transport.abort()
            return
        self.connections_total += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        if not self._accepting:  # cut while connecting upstream: this connection must not survive
            writer.transport.abort()
            up_writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        await asyncio.gather(
            self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )
        for end in (writer, up_writer):
            self._writers.discard(end)
            with contextlib.suppress(Exception):
                end.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                await self._flowing.wait()
                if writer.is_closing():
                    break
                writer.write(data)
                await writer.drain()
        finally:
            with contextlib.suppress(Exception):
                writer.transport.abort()


@contextlib.contextmanager
def tcp_proxy(target_host: str, target_port: int) -> Iterator[TcpProxy]:
    """A started proxy to the target, stopped at the end of the block."""
    proxy = TcpProxy(target_host, target_port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
