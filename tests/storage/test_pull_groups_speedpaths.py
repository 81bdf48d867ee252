"""Pull applies several pages per local transaction: the cursor commits only with the changes before it, pages
fetched before an error are kept, and a repeated pull applies nothing twice. A real HTTP server on 127.0.0.1 serves
pages from a fixed change log; the profile is a real SQLCipher file."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from storage_support import TODAY, QuietJsonHandler

from ibic.demo import demo_cases
from ibic.document_paths import leaves
from storage.profile import Profile
from sync.client.credentials import DeviceCredentials
from sync.client.pull import pull_changes
from sync.client.session import Session
from sync.client.transport import RetryPolicy, Transport
from sync.errors import ServerRejected
from sync.progress import SyncProgress, SyncReport


def _log() -> list[dict[str, Any]]:
    people, cases = demo_cases(TODAY)
    by_id = {p.id: p for p in people}
    log: list[dict[str, Any]] = []
    for case in cases[:2]:
        for record_type, document in (("person", by_id[case.person_id].model_dump(mode="json")),
                                      ("case", case.model_dump(mode="json"))):
            for path, value in leaves(document).items():
                log.append({"protocol": 1, "seq": len(log) + 1, "record_type": record_type,
                            "record_id": document["id"], "path": path, "op": "set", "value": value, "version": 1,
                            "op_id": uuid.uuid4().hex})
    return log


class _Server:
    def __init__(self) -> None:
        self.log = _log()
        self.fail_after: int | None = None  # answer 400 to a pull whose cursor is at or past this seq
        self.requests = 0
        server = self

        class Handler(QuietJsonHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                server.requests += 1
                cursor, limit = int(body["cursor"]), int(body["limit"])
                if server.fail_after is not None and cursor >= server.fail_after:
                    status, answer = 400, {"protocol": 1, "error": "boom", "message": "x", "details": []}
                else:
                    page = [c for c in server.log if c["seq"] > cursor][:limit]
                    top = page[-1]["seq"] if page else cursor
                    status = 200
                    answer = {"protocol": 1, "changes": page, "next_cursor": top,
                              "has_more": top < server.log[-1]["seq"]}
                self.answer(status, json.dumps(answer).encode())

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server()
    thread = threading.Thread(target=running.http.serve_forever, daemon=True)
    thread.start()
    yield running
    running.http.shutdown()
    running.http.server_close()


def _session(server: _Server) -> Session:
    transport = Transport(server.url, verify=False, retry=RetryPolicy(attempts=1), sleep=lambda _s: None)
    credentials = DeviceCredentials(server.url, "device1", "handlaggare1", "unit", "c" * 32)
    return Session(transport, credentials, access_token="token")


def _commits(profile: Profile) -> list[tuple[int, int]]:
    """Record each apply_remote call (changes, cursor) while letting it run."""
    calls: list[tuple[int, int]] = []
    real = profile.sync.apply_remote

    def spy(changes: list[Any], new_cursor: int) -> int:
        calls.append((len(changes), new_cursor))
        return real(changes, new_cursor)

    profile.sync.apply_remote = spy  # type: ignore[method-assign]
    return calls


def _applied_ops(profile: Profile) -> list[str]:
    with profile._db.reading() as connection:
        return [r[0] for r in connection.execute("SELECT op_id FROM remote_applied").fetchall()]


def test_pages_are_applied_in_groups_with_the_last_cursor(profile: Profile, server: _Server) -> None:
    commits = _commits(profile)
    seen: list[SyncProgress] = []
    report = SyncReport()
    pull_changes(_session(server), profile, report, seen.append, page_size=10, pages_per_commit=3)
    total = len(server.log)
    pages = -(-total // 10)
    assert server.requests == pages
    assert len(seen) == pages  # progress once per page, as before
    assert [n for n, _ in commits] == [min(30, total - i) for i in range(0, total, 30)]
    assert [cursor for _, cursor in commits] == [min(i + 30, total) for i in range(0, total, 30)]
    assert report.pulled == report.pulled_applied == total
    assert profile.sync.cursor() == total
    assert sorted(_applied_ops(profile)) == sorted(c["op_id"] for c in server.log)
    assert profile.cases.count() == 2


def test_an_error_keeps_the_pages_fetched_and_a_repeat_applies_nothing_twice(profile: Profile,
                                                                           server: _Server) -> None:
    server.fail_after = 40  # pages of 10: pages 1-4 answer, the 5th request (cursor 40) fails
    commits = _commits(profile)
    with pytest.raises(ServerRejected):
        pull_changes(_session(server), profile, SyncReport(), page_size=10, pages_per_commit=3)
    # Group 1 (pages 1-3) committed at cursor 30; page 4, fetched before the error, kept with cursor 40.
    assert commits == [(30, 30), (10, 40)]
    assert profile.sync.cursor() == 40
    assert len(_applied_ops(profile)) == 40

    server.fail_after = None
    report = SyncReport()
    pull_changes(_session(server), profile, report, page_size=7, pages_per_commit=2)
    assert report.pulled == len(server.log) - 40
    assert profile.sync.cursor() == len(server.log)
    assert sorted(_applied_ops(profile)) == sorted(c["op_id"] for c in server.log)

    # Pulling the same log again from the start (a cursor lost) applies nothing twice.
    with profile._db.transaction() as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'sync_cursor'")
    again = SyncReport()
    pull_changes(_session(server), profile, again)
    assert again.pulled == len(server.log) and again.pulled_applied == 0
    assert profile.cases.count() == 2
