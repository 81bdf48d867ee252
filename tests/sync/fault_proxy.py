"""A TCP proxy on 127.0.0.1 that injects faults: cut a connection after N bytes, delay, duplicate a request.

``arm(fault)`` applies one fault to the traffic that follows, across connections: byte counts start at zero when
armed and count per direction, so a test can cut inside a request (``up``) or an answer (``down``) at an exact
offset of a whole sync conversation. ``duplicate_next`` sends the first request of the next new connection twice.
``hold_next_answer(release)`` keeps the next answer's bytes (whichever connection brings them) until ``release`` is
set; ``holding`` is set once they are held.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Fault:
    """Cut after ``at`` bytes in ``direction``; ``on_request`` runs when request bytes first arrive after arming,
    ``on_cut`` when the cut is made (before the client sees it: e.g. to send its retry elsewhere)."""

    direction: Literal["up", "down", "none"] = "none"
    at: int = 0
    on_request: Callable[[], None] | None = None
    on_cut: Callable[[], None] | None = None


class FaultProxy:
    """Listens on 127.0.0.1:<port>, forwards to 127.0.0.1:<target_port>."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.fault: Fault | None = None
        self.counted = {"up": 0, "down": 0}
        self.delay = 0.0
        self.duplicate_next = False
        self.cuts = 0
        self.duplicates = 0
        self.connections = 0
        self.holding = threading.Event()
        self._hold: threading.Event | None = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0

    def arm(self, fault: Fault) -> None:
        """Apply ``fault`` to the traffic from now on (once)."""
        self.counted = {"up": 0, "down": 0}
        self.fault = fault

    def hold_next_answer(self, release: threading.Event) -> None:
        """Keep the next bytes the server sends (an answer, on whichever connection) until ``release`` is set."""
        self.holding.clear()
        self._hold = release

    def start(self) -> FaultProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        async def cancel_pipes() -> None:
            current = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not current]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(cancel_pipes(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _handle(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        duplicate, self.duplicate_next = self.duplicate_next, False
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return
        cut = asyncio.Event()
        if duplicate:
            self.duplicates += 1
            await self._duplicate_first_request(client_reader, server_writer)
        up = asyncio.ensure_future(self._pipe(client_reader, server_writer, "up", cut))
        down = asyncio.ensure_future(self._pipe(server_reader, client_writer, "down", cut))
        await asyncio.wait([up, down], return_when=asyncio.FIRST_COMPLETED)
        for task in (up, down):
            task.cancel()
        for writer in (client_writer, server_writer):
            with contextlib.suppress(Exception):
                writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, direction: str,
                    cut: asyncio.Event) -> None:
        while not cut.is_set():
            data = await reader.read(65536)
            if not data:
                return
            if self.delay:
                await asyncio.sleep(self.delay)
            if direction == "down" and self._hold is not None:
                release, self._hold = self._hold, None
                self.holding.set()
                await self._loop.run_in_executor(None, release.wait, 30)
            fault = self.fault
            if fault is not None and direction == "up" and fault.on_request is not None:
                self.fault = None
                fault.on_request()
            elif fault is not None and fault.direction == direction:
                done = self.counted[direction]
                if done + len(data) >= fault.at:
                    self.fault = None
                    self.cuts += 1
                    if fault.on_cut is not None:
                        fault.on_cut()
                    writer.write(data[: max(0, fault.at - done)])
                    with contextlib.suppress(Exception):
                        await writer.drain()
                    cut.set()
                    return
            self.counted[direction] += len(data)
            writer.write(data)
            await writer.drain()

    async def _duplicate_first_request(self, reader: asyncio.StreamReader, server_writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await reader.readexactly(length)
        request = head + body
        # The copy goes first on its own connection; its answer is read and dropped.
        copy_reader, copy_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        copy_writer.write(request)
        await copy_writer.drain()
        server_writer.write(request)
        await server_writer.drain()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(copy_reader.read(65536), 10)
        copy_writer.close()
