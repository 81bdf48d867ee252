"""The server says at start when its database may lose a commit at a crash (fsync, synchronous_commit or
full_page_writes off): a push answered "applied" is never sent again by the laptop. The tests' throwaway cluster runs
with all three off; synchronous_commit can be set back on for a connection, the other two only for the cluster."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from urllib.parse import quote

from sync_support import REPO

from sync.server.pgcluster import free_port


def _start_lines(database_url: str, deadline_seconds: float = 60) -> list[dict[str, object]]:
    """The JSON log lines ``python -m sync.server`` writes at start, through the one after ``migrations_applied``
    (the durability warning is written right after it, before uvicorn's own lines)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HEMBESOK_SYNC_")}
    env.update({"HEMBESOK_SYNC_DATABASE_URL": database_url, "HEMBESOK_SYNC_PORT": str(free_port()),
                "HEMBESOK_SYNC_HOST": "127.0.0.1", "HEMBESOK_SYNC_TOKEN_SECRET": "f" * 64})
    process = subprocess.Popen([sys.executable, "-m", "sync.server"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    stream, received = process.stderr, queue.Queue[str]()

    def pump() -> None:
        for line in stream:
            received.put(line)

    threading.Thread(target=pump, daemon=True).start()
    found: list[dict[str, object]] = []
    deadline = time.monotonic() + deadline_seconds
    try:
        while len(found) < 2 or found[-2].get("event") != "migrations_applied":
            line = received.get(timeout=max(deadline - time.monotonic(), 0.001)).strip()
            if line.startswith("{"):
                found.append(json.loads(line))
    finally:
        process.terminate()
        process.wait(timeout=60)
    return found


def _warning(lines: list[dict[str, object]]) -> dict[str, object] | None:
    return next((line for line in lines if line.get("event") == "database_durability_off"), None)


def test_a_database_that_may_lose_a_commit_is_named_at_start(database_url: str) -> None:
    warning = _warning(_start_lines(database_url))
    assert warning is not None and warning["level"] == "WARNING"
    assert warning["settings"] == ["fsync", "synchronous_commit", "full_page_writes"]


def test_a_setting_set_back_on_is_not_named(database_url: str) -> None:
    joiner = "&" if "?" in database_url else "?"
    warning = _warning(_start_lines(f"{database_url}{joiner}options={quote('-c synchronous_commit=on')}"))
    assert warning is not None and warning["settings"] == ["fsync", "full_page_writes"]
