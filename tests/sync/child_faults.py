"""Faults injected into the window's sync child process (``sync.child``), which a test's monkeypatch cannot reach.

``inject(monkeypatch, folder, fault, **options)`` makes every child the test's window starts run ``fault`` (a
function here) before it serves: the patches live inside the child, as they lived in the test's process while the
sync ran on a thread. Child and test speak through small files in ``folder`` (``mark``, ``marked``, ``lines``).
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import sync.child

HERE = Path(__file__).resolve().parent


def inject(monkeypatch: Any, folder: Path, fault: str, **options: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arguments = json.dumps({"folder": str(folder), **options})
    monkeypatch.setattr(sync.child, "_BOOT", (
        f"import sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, {str(HERE)!r}); import json, child_faults;"
        f" child_faults.{fault}(**json.loads({arguments!r})); import main; main.main(['--sync-child'])"))


def mark(folder: str | Path, name: str, line: str = "") -> None:
    """Append ``line`` to ``folder/name`` (created if missing): one line per event."""
    with open(Path(folder) / name, "a", encoding="utf-8") as file:
        file.write(line + "\n")


def marked(folder: Path, name: str) -> list[str]:
    path = folder / name
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


# --- faults (run in the child) ----------------------------------------------------------------------------------
def started(folder: str) -> None:
    """No fault: the child's process id is noted in ``pids``."""
    mark(folder, "pids", str(os.getpid()))


def refused_then_long_wait(folder: str) -> None:
    """Every connection refused (noted in ``attempts``); the wait before the next attempt is ten minutes, its start
    noted in ``waiting``."""
    import httpx

    from sync.client.transport import RetryPolicy

    started(folder)

    def refused(_client: Any, *_args: Any, **_kwargs: Any) -> Any:
        mark(folder, "attempts")
        raise httpx.ConnectError("connection refused")

    def ten_minutes(_policy: Any, _attempt: int, _rng: Any) -> float:
        mark(folder, "waiting")
        return 600.0

    httpx.Client.request = refused  # type: ignore[method-assign]
    RetryPolicy.delay = ten_minutes  # type: ignore[method-assign]


def refused_while_gone(folder: str) -> None:
    """Connections refused while ``folder/gone`` exists (the network is gone), without waits between attempts."""
    import httpx

    from sync.client.transport import RetryPolicy

    real_request = httpx.Client.request

    def request(client: Any, *args: Any, **kwargs: Any) -> Any:
        if (Path(folder) / "gone").exists():
            raise httpx.ConnectError("connection refused")
        return real_request(client, *args, **kwargs)

    httpx.Client.request = request  # type: ignore[method-assign]
    RetryPolicy.delay = lambda _policy, _attempt, _rng: 0.0  # type: ignore[method-assign]


def killed_at_first_push(folder: str) -> None:
    """While ``folder/kill`` exists, the child is SIGKILLed as it sends its first push (as the system would kill it)."""
    from sync.client.session import Session

    post = Session.post

    def post_or_die(session: Any, path: str, message: Any, answer: Any) -> Any:
        if path == "/v1/push" and (Path(folder) / "kill").exists():
            mark(folder, "killed")
            os.kill(os.getpid(), signal.SIGKILL)
        return post(session, path, message, answer)

    Session.post = post_or_die  # type: ignore[method-assign]


def silent_forever(folder: str) -> None:
    """The child hangs before it says anything (a deadlock, a stuck disk): noted in ``pids``."""
    import threading

    started(folder)
    threading.Event().wait()


def holds_write_lock(folder: str) -> None:
    """The child's first write transaction holds SQLite's write lock (``holding``) until the test writes ``release``
    (or 120 s pass), as a long step of a pull would; ``released`` then names the moment (``time.time()``) just
    before it commits."""
    import contextlib
    import time
    from collections.abc import Iterator

    from storage.database import Database

    transaction = Database.transaction
    held: list[int] = []

    @contextlib.contextmanager
    def holding(self: Database, *, durable: bool = True) -> Iterator[Any]:
        with transaction(self, durable=durable) as connection:
            if not held:
                held.append(1)
                mark(folder, "holding")
                deadline = time.monotonic() + 120
                while not (Path(folder) / "release").exists() and time.monotonic() < deadline:
                    time.sleep(0.01)
                mark(folder, "released", repr(time.time()))
            yield connection

    Database.transaction = holding  # type: ignore[method-assign,assignment]


def retired_beside_a_lost_batch(folder: str, database_url: str, device: str, ops: list[str]) -> None:
    """One change per push batch; IT retires the device while the second batch is sent, and the first gets no answer
    (the network went) once the second was answered."""
    import functools
    import threading

    from sync_support import pushed_op_ids

    import sync.client.engine as engine
    from sync.client.push import push_pending
    from sync.client.session import Session
    from sync.errors import Offline
    from sync.server import central
    from sync.server.db import connect

    second_answered = threading.Event()
    post = Session.post

    def first_lost_second_retired(session: Any, path: str, message: Any, answer: Any) -> Any:
        batch = pushed_op_ids(message) if path == "/v1/push" else []
        if batch == ops[1:2]:
            with connect(database_url) as conn:
                central.revoke_device(conn, device, "retire")  # IT, while the batch is sent
            try:
                return post(session, path, message, answer)
            finally:
                second_answered.set()
        if batch == ops[:1]:
            assert second_answered.wait(timeout=60)
            raise Offline("no answer from the sync server")
        return post(session, path, message, answer)

    Session.post = first_lost_second_retired  # type: ignore[method-assign]
    engine.push_pending = functools.partial(push_pending, batch_size=1)  # type: ignore[assignment]


def bulk_claims_noted(folder: str) -> None:
    """The ids of the records the pull's bulk path claims, one a line in ``claimed``."""
    from storage.repositories import pulled_bulk

    settle = pulled_bulk.Bulk.settle

    def noted(self: Any) -> Any:
        for key, *_ in self.claimed:
            mark(folder, "claimed", key[1])
        return settle(self)

    pulled_bulk.Bulk.settle = noted  # type: ignore[method-assign]


def push_held(folder: str) -> None:
    """While ``folder/hold`` exists, each push is sent only once ``folder/release`` exists (a slow answer); its start
    is noted in ``pushing``."""
    import time

    from sync.client.session import Session

    post = Session.post

    def held(session: Any, path: str, message: Any, answer: Any) -> Any:
        if path == "/v1/push" and (Path(folder) / "hold").exists():
            mark(folder, "pushing")
            deadline = time.monotonic() + 120
            while not (Path(folder) / "release").exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        return post(session, path, message, answer)

    Session.post = held  # type: ignore[method-assign]


def prints_while_syncing(folder: str) -> None:
    """Each request of the sync prints a line to standard output first (a library's stray print), noted in
    ``printed`` before it prints (a window that reads the line as a broken answer kills the child at once)."""
    from sync.client.session import Session

    post = Session.post

    def noisy(session: Any, path: str, message: Any, answer: Any) -> Any:
        mark(folder, "printed")
        print(f"sending {path}")
        return post(session, path, message, answer)

    Session.post = noisy  # type: ignore[method-assign]
